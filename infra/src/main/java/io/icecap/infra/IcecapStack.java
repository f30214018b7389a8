package io.icecap.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Serverless Icecap: the apply worker as a Lambda function, its Redis (ElastiCache with cluster
 * mode disabled, or an external one), the S3 warehouse, a schedule that sweeps every minute, and a
 * managed policy for clients. The function's role may touch only the warehouse prefix and the Redis
 * secret.
 */
public final class IcecapStack extends Stack {

  /** The worker-function's Lambda handler. */
  public static final String HANDLER = "io.icecap.worker.function.ApplyFunction::handleRequest";

  public static final String ENV_REDIS_URI = "ICECAP_REDIS_URI";
  public static final String ENV_REDIS_SECRET_ARN = "ICECAP_REDIS_SECRET_ARN";
  public static final String ENV_WAREHOUSE = "ICECAP_WAREHOUSE";
  public static final String ENV_CATALOG = "ICECAP_CATALOG";
  public static final String ENV_CACHE_BYTES = "ICECAP_CACHE_BYTES";
  public static final String ENV_WORK_DIR = "ICECAP_WORK_DIR";

  static final String WAREHOUSE_PREFIX = "warehouse";
  static final String WORK_DIR = "/tmp/icecap";
  // C1 only: a worker lives minutes, so a quick JIT start beats C2's peak speed.
  static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
  static final String SWEEP_SCHEDULE = "rate(1 minute)";

  private final Bucket bucket;
  private final Redis redis;
  private final Function function;
  private final Optional<Network> network;

  public IcecapStack(Construct scope, String id, StackProps stackProps, IcecapStackProps props) {
    super(scope, id, stackProps);
    bucket = warehouseBucket();
    network =
        props.redis().managed() ? Optional.of(new Network(this, "Network")) : Optional.empty();
    redis =
        switch (props.redis()) {
          case ELASTICACHE ->
              new ElastiCacheRedis(
                      this, "ElastiCache", props.redisNodeType(), network.orElseThrow())
                  .redis();
          case EXTERNAL -> Redis.external(props.redisUri());
        };
    function = applyFunction(props);
    grantWorker();
    if (props.sweeper()) {
      sweeper();
    }
    outputs(clientPolicy());
  }

  private Bucket warehouseBucket() {
    return Bucket.Builder.create(this, "Warehouse")
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .lifecycleRules(
            List.of(
                LifecycleRule.builder()
                    .abortIncompleteMultipartUploadAfter(Duration.days(1))
                    .build()))
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  private Function applyFunction(IcecapStackProps props) {
    LogGroup logs =
        LogGroup.Builder.create(this, "ApplyFunctionLogs")
            .retention(RetentionDays.ONE_MONTH)
            .build();
    Function.Builder builder =
        Function.Builder.create(this, "ApplyFunction")
            .description("Icecap apply worker: applies the Redis log to the Iceberg warehouse")
            .runtime(Runtime.JAVA_17)
            .handler(HANDLER)
            .code(Code.fromAsset(props.code().toString()))
            .architecture(props.architecture().lambda())
            .memorySize(props.memorySize())
            .timeout(Duration.seconds(props.timeoutSeconds()))
            .ephemeralStorageSize(Size.mebibytes(props.ephemeralStorageSize()))
            .environment(environment(props))
            .logGroup(logs);
    network.ifPresent(
        n ->
            builder
                .vpc(n.vpc())
                .vpcSubnets(n.isolatedSubnets())
                .securityGroups(List.of(n.functionSecurityGroup())));
    return builder.build();
  }

  private Map<String, String> environment(IcecapStackProps props) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(ENV_REDIS_URI, redis.uri());
    redis
        .secret()
        .ifPresent(secret -> environment.put(ENV_REDIS_SECRET_ARN, secret.getSecretArn()));
    environment.put(ENV_WAREHOUSE, warehouse());
    environment.put(ENV_CATALOG, props.catalog());
    environment.put(ENV_CACHE_BYTES, Long.toString(props.cacheBytes()));
    environment.put(ENV_WORK_DIR, WORK_DIR);
    environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    return environment;
  }

  private void grantWorker() {
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))
            .resources(List.of(bucket.arnForObjects(WAREHOUSE_PREFIX + "/*")))
            .build());
    function.addToRolePolicy(listWarehouse());
    redis.secret().ifPresent(secret -> function.addToRolePolicy(readSecret(secret)));
  }

  private PolicyStatement listWarehouse() {
    return PolicyStatement.Builder.create()
        .actions(List.of("s3:ListBucket"))
        .resources(List.of(bucket.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(WAREHOUSE_PREFIX + "/*"))))
        .build();
  }

  private static PolicyStatement readSecret(ISecret secret) {
    return PolicyStatement.Builder.create()
        .actions(List.of("secretsmanager:GetSecretValue"))
        .resources(List.of(secret.getSecretArn()))
        .build();
  }

  private void sweeper() {
    Rule.Builder.create(this, "Sweeper")
        .description(
            "Invokes the Icecap apply worker every minute to sweep stalled work and run due maintenance")
        .schedule(Schedule.expression(SWEEP_SCHEDULE))
        .targets(
            List.of(
                LambdaFunction.Builder.create(function)
                    .event(RuleTargetInput.fromObject(Map.of("sweep", true)))
                    // the next sweep comes within a minute; a retried one would only overlap it
                    .retryAttempts(0)
                    .build()))
        .build();
  }

  private ManagedPolicy clientPolicy() {
    ManagedPolicy policy =
        ManagedPolicy.Builder.create(this, "ClientPolicy")
            .description("Icecap clients: invoke the apply worker, read the warehouse and Redis")
            .statements(
                List.of(
                    PolicyStatement.Builder.create()
                        .actions(List.of("lambda:InvokeFunction"))
                        .resources(List.of(function.getFunctionArn()))
                        .build(),
                    PolicyStatement.Builder.create()
                        .actions(List.of("s3:GetObject"))
                        .resources(List.of(bucket.arnForObjects(WAREHOUSE_PREFIX + "/*")))
                        .build(),
                    listWarehouse()))
            .build();
    redis.secret().ifPresent(secret -> policy.addStatements(readSecret(secret)));
    return policy;
  }

  private void outputs(ManagedPolicy clientPolicy) {
    output("FunctionName", function.getFunctionName(), "The Icecap apply worker function");
    output("FunctionArn", function.getFunctionArn(), "The Icecap apply worker function's ARN");
    output("BucketName", bucket.getBucketName(), "The warehouse bucket");
    output("WarehouseLocation", warehouse(), "The Iceberg warehouse location (ICECAP_WAREHOUSE)");
    output("RedisEndpoint", redis.endpoint(), "The Redis endpoint");
    output("RedisUri", redis.uri(), "The Redis URI (ICECAP_REDIS_URI)");
    redis
        .secret()
        .ifPresent(
            secret ->
                output(
                    "RedisSecretArn",
                    secret.getSecretArn(),
                    "The Redis username and password (ICECAP_REDIS_SECRET_ARN)"));
    network.ifPresent(
        n ->
            CfnOutput.Builder.create(this, "ClientSecurityGroupId")
                .value(n.clientSecurityGroup().getSecurityGroupId())
                .description("Attach to Icecap clients in the VPC to reach Redis")
                .exportName(Fn.sub("${AWS::StackName}-ClientSecurityGroupId"))
                .build());
    output(
        "ClientPolicyArn", clientPolicy.getManagedPolicyArn(), "Attach to Icecap clients' roles");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  private String warehouse() {
    return "s3://" + bucket.getBucketName() + "/" + WAREHOUSE_PREFIX;
  }

  Optional<Network> network() {
    return network;
  }
}
