package io.icecap.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.SecurityGroup;

/** Synthesizes the stack offline and checks what CloudFormation would be asked to create. */
class IcecapStackTest {

  private static final String HANDLER = "io.icecap.worker.function.ApplyFunction::handleRequest";

  @TempDir static Path dir;

  private static Path code;
  private static IcecapStack stack;
  private static Template template;

  @BeforeAll
  static void synthesizeDefault() {
    code = TestingStacks.dummyCode(dir);
    TestingStacks.Synthesized synthesized =
        TestingStacks.synthesize(dir, IcecapStackProps.builder(code).build());
    stack = synthesized.stack();
    template = synthesized.template();
  }

  @Test
  void functionRunsTheApplyHandlerOnJava17WithTenGibOfTmp() {
    template.resourceCountIs("AWS::Lambda::Function", 1);
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            HANDLER,
            "Runtime",
            "java17",
            "MemorySize",
            4096,
            "Timeout",
            300,
            "EphemeralStorage",
            Map.of("Size", 10240),
            "Architectures",
            List.of("x86_64"),
            "LoggingConfig",
            Map.of("LogGroup", Map.of("Ref", onlyId(template, "AWS::Logs::LogGroup")))));
  }

  @Test
  void functionEnvironmentNamesRedisSecretWarehouseAndCache() {
    Map<String, Object> expected =
        Map.of(
            "ICECAP_REDIS_URI",
            join(
                "rediss://",
                Map.of(
                    "Fn::GetAtt",
                    List.of(
                        onlyId(template, "AWS::ElastiCache::ReplicationGroup"),
                        "PrimaryEndPoint.Address")),
                ":6379"),
            "ICECAP_REDIS_SECRET_ARN",
            Map.of("Ref", onlyId(template, "AWS::SecretsManager::Secret")),
            "ICECAP_WAREHOUSE",
            join("s3://", Map.of("Ref", onlyId(template, "AWS::S3::Bucket")), "/warehouse"),
            "ICECAP_CATALOG",
            "icecap",
            "ICECAP_CACHE_BYTES",
            "8589934592",
            "ICECAP_WORK_DIR",
            "/tmp/icecap",
            "JAVA_TOOL_OPTIONS",
            "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of("Environment", Map.of("Variables", Match.objectEquals(expected))));
  }

  @Test
  void bucketIsEncryptedPrivateTlsOnlyAndRetained() {
    String bucket = onlyId(template, "AWS::S3::Bucket");
    template.hasResource(
        "AWS::S3::Bucket",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Map.of(
                "BucketEncryption",
                Map.of(
                    "ServerSideEncryptionConfiguration",
                    List.of(
                        Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration",
                Map.of(
                    "BlockPublicAcls", true,
                    "BlockPublicPolicy", true,
                    "IgnorePublicAcls", true,
                    "RestrictPublicBuckets", true),
                "LifecycleConfiguration",
                Map.of(
                    "Rules",
                    List.of(
                        Map.of(
                            "AbortIncompleteMultipartUpload",
                            Map.of("DaysAfterInitiation", 1),
                            "Status",
                            "Enabled"))))));
    Map<String, Object> bucketArn = Map.of("Fn::GetAtt", List.of(bucket, "Arn"));
    template.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Map.of(
            "Bucket", Map.of("Ref", bucket),
            "PolicyDocument",
                Map.of(
                    "Statement",
                    List.of(
                        Map.of(
                            "Effect", "Deny",
                            "Action", "s3:*",
                            "Principal", Map.of("AWS", "*"),
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")),
                            "Resource", List.of(bucketArn, join(bucketArn, "/*")))))));
  }

  @Test
  void functionRoleMayTouchOnlyTheWarehousePrefixAndTheRedisSecret() {
    Map<String, Object> bucketArn =
        Map.of("Fn::GetAtt", List.of(onlyId(template, "AWS::S3::Bucket"), "Arn"));
    template.resourceCountIs("AWS::IAM::Policy", 1);
    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "Roles", List.of(Map.of("Ref", onlyId(template, "AWS::IAM::Role"))),
            "PolicyDocument",
                Map.of(
                    "Statement",
                    Match.exact(
                        List.of(
                            Map.of(
                                "Effect", "Allow",
                                "Action",
                                    List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                                "Resource", join(bucketArn, "/warehouse/*")),
                            Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:ListBucket",
                                "Resource",
                                bucketArn,
                                "Condition",
                                Map.of("StringLike", Map.of("s3:prefix", List.of("warehouse/*")))),
                            Map.of(
                                "Effect", "Allow",
                                "Action", "secretsmanager:GetSecretValue",
                                "Resource",
                                    Map.of(
                                        "Ref",
                                        onlyId(template, "AWS::SecretsManager::Secret"))))))));
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of(
            "ManagedPolicyArns",
            Match.exact(
                List.of(
                    managedPolicy("service-role/AWSLambdaBasicExecutionRole"),
                    managedPolicy("service-role/AWSLambdaVPCAccessExecutionRole")))));
    assertNoWildcards(template);
  }

  @Test
  void secretHoldsTheDefaultUserAndAGeneratedAuthToken() {
    template.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Map.of(
            "GenerateSecretString",
            Map.of(
                "SecretStringTemplate",
                "{\"username\":\"default\"}",
                "GenerateStringKey",
                "password",
                "ExcludePunctuation",
                true,
                "PasswordLength",
                32)));
  }

  @Test
  void redisIsAMultiAzElastiCacheReplicationGroupEncryptedInTransitAndAtRest() {
    String secret = onlyId(template, "AWS::SecretsManager::Secret");
    template.resourceCountIs("AWS::ElastiCache::ReplicationGroup", 1);
    template.hasResourceProperties(
        "AWS::ElastiCache::ReplicationGroup",
        Match.objectEquals(
            Map.ofEntries(
                Map.entry("ReplicationGroupDescription", "Icecap catalog and transaction log"),
                Map.entry("Engine", "redis"),
                Map.entry("EngineVersion", "7.1"),
                Map.entry(
                    "CacheParameterGroupName",
                    Map.of("Ref", onlyId(template, "AWS::ElastiCache::ParameterGroup"))),
                Map.entry("CacheNodeType", "cache.t4g.small"),
                // a primary and one replica, without NumNodeGroups: cluster mode disabled
                Map.entry("NumCacheClusters", 2),
                Map.entry("MultiAZEnabled", true),
                Map.entry("AutomaticFailoverEnabled", true),
                Map.entry("TransitEncryptionEnabled", true),
                Map.entry("AtRestEncryptionEnabled", true),
                Map.entry(
                    "AuthToken",
                    join(
                        "{{resolve:secretsmanager:",
                        Map.of("Ref", secret),
                        ":SecretString:password::}}")),
                Map.entry(
                    "CacheSubnetGroupName",
                    Map.of("Ref", onlyId(template, "AWS::ElastiCache::SubnetGroup"))),
                Map.entry(
                    "SecurityGroupIds",
                    List.of(getAtt(groupId(stack.network().orElseThrow().redisSecurityGroup())))),
                Map.entry("Port", 6379))));
    template.hasResourceProperties(
        "AWS::ElastiCache::SubnetGroup",
        Map.of(
            "SubnetIds",
            template.findResources("AWS::EC2::Subnet").keySet().stream()
                .map(id -> Map.of("Ref", id))
                .toList()));
    assertThat(template.toJSON().get("Resources").toString()).doesNotContain("AWS::MemoryDB::");
  }

  @Test
  void redisParameterGroupDisablesClusterModeAndNeverEvicts() {
    template.resourceCountIs("AWS::ElastiCache::ParameterGroup", 1);
    template.hasResourceProperties(
        "AWS::ElastiCache::ParameterGroup",
        Map.of(
            "CacheParameterGroupFamily",
            "redis7",
            "Properties",
            Match.objectEquals(Map.of("cluster-enabled", "no", "maxmemory-policy", "noeviction"))));
  }

  @Test
  void memoryDbIsRefusedBecauseTheCatalogCannotUseClusterMode() {
    Map<String, Object> context = Map.of("code", code.toString(), "redis", "memorydb");
    assertThatThrownBy(() -> AppContext.props(context::get, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "redis=memorydb is refused: MemoryDB runs in cluster mode, which Icecap's catalog"
                + " does not support (its scripts span two hash slots); use elasticache (the"
                + " default) or external");
  }

  @Test
  void vpcHasIsolatedSubnetsEndpointsAndNoWayToTheInternet() {
    template.resourceCountIs("AWS::EC2::VPC", 1);
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::InternetGateway", 0);
    template.resourceCountIs("AWS::EC2::EIP", 0);
    template.resourceCountIs("AWS::EC2::Route", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 2);
    template.resourceCountIs("AWS::EC2::RouteTable", 2);
    template.allResourcesProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false));
    template.hasResourceProperties(
        "AWS::EC2::VPCEndpoint",
        Map.of(
            "VpcEndpointType", "Gateway",
            "ServiceName", join("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".s3"),
            "RouteTableIds",
                template.findResources("AWS::EC2::RouteTable").keySet().stream()
                    .map(id -> Map.of("Ref", id))
                    .toList()));
    template.hasResourceProperties(
        "AWS::EC2::VPCEndpoint",
        Map.of(
            "VpcEndpointType",
            "Interface",
            "PrivateDnsEnabled",
            true,
            "ServiceName",
            join("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".secretsmanager")));
  }

  @Test
  void onlyTheFunctionAndTheClientGroupReachRedis() {
    Network network = stack.network().orElseThrow();
    String redisGroup = groupId(network.redisSecurityGroup());
    List<Object> sources = new ArrayList<>();
    template
        .findResources("AWS::EC2::SecurityGroupIngress")
        .values()
        .forEach(
            ingress -> {
              Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) ingress).get("Properties");
              if (properties.get("GroupId").equals(getAtt(redisGroup))) {
                assertThat(properties.get("FromPort")).isEqualTo(6379);
                assertThat(properties.get("ToPort")).isEqualTo(6379);
                sources.add(properties.get("SourceSecurityGroupId"));
              }
            });
    assertThat(sources)
        .containsExactlyInAnyOrder(
            getAtt(groupId(network.functionSecurityGroup())),
            getAtt(groupId(network.clientSecurityGroup())));
    // no address range reaches Redis either
    Map<?, ?> redisGroupProperties =
        (Map<?, ?>)
            template.findResources("AWS::EC2::SecurityGroup").get(redisGroup).get("Properties");
    assertThat(redisGroupProperties.get("SecurityGroupIngress")).isNull();
    template.hasResourceProperties(
        "AWS::ElastiCache::ReplicationGroup",
        Map.of("SecurityGroupIds", List.of(getAtt(redisGroup))));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "VpcConfig",
            Map.of("SecurityGroupIds", List.of(getAtt(groupId(network.functionSecurityGroup()))))));
    template.hasOutput(
        "ClientSecurityGroupId",
        Map.of(
            "Value", getAtt(groupId(network.clientSecurityGroup())),
            "Export",
                Map.of("Name", Map.of("Fn::Sub", "${AWS::StackName}-ClientSecurityGroupId"))));
  }

  @Test
  void logsAreKeptForAMonth() {
    template.resourceCountIs("AWS::Logs::LogGroup", 1);
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
  }

  @Test
  void sweeperInvokesTheFunctionEveryMinuteWithSweepTrue() {
    String function = onlyId(template, "AWS::Lambda::Function");
    template.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "ScheduleExpression", "rate(1 minute)",
            "State", "ENABLED",
            "Targets",
                List.of(
                    Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(function, "Arn")),
                        "Input", "{\"sweep\":true}",
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 0)))));
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Principal", "events.amazonaws.com", "Action", "lambda:InvokeFunction"));
  }

  @Test
  void clientPolicyInvokesReadsAndOutputsNameEverything() {
    String function = onlyId(template, "AWS::Lambda::Function");
    Map<String, Object> bucketArn =
        Map.of("Fn::GetAtt", List.of(onlyId(template, "AWS::S3::Bucket"), "Arn"));
    template.hasResourceProperties(
        "AWS::IAM::ManagedPolicy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.exact(
                    List.of(
                        Map.of(
                            "Effect", "Allow",
                            "Action", "lambda:InvokeFunction",
                            "Resource", Map.of("Fn::GetAtt", List.of(function, "Arn"))),
                        Map.of(
                            "Effect", "Allow",
                            "Action", "s3:GetObject",
                            "Resource", join(bucketArn, "/warehouse/*")),
                        Map.of(
                            "Effect",
                            "Allow",
                            "Action",
                            "s3:ListBucket",
                            "Resource",
                            bucketArn,
                            "Condition",
                            Map.of("StringLike", Map.of("s3:prefix", List.of("warehouse/*")))),
                        Map.of(
                            "Effect", "Allow",
                            "Action", "secretsmanager:GetSecretValue",
                            "Resource",
                                Map.of(
                                    "Ref", onlyId(template, "AWS::SecretsManager::Secret"))))))));
    assertThat(template.findOutputs("*").keySet())
        .containsExactlyInAnyOrder(
            "FunctionName",
            "FunctionArn",
            "BucketName",
            "WarehouseLocation",
            "RedisEndpoint",
            "RedisUri",
            "RedisSecretArn",
            "ClientSecurityGroupId",
            "ClientPolicyArn");
  }

  @Test
  void externalRedisNeedsNoVpcNoManagedRedisAndNoSecret() {
    Template external =
        TestingStacks.synthesize(
                dir,
                IcecapStackProps.builder(code)
                    .redis(RedisKind.EXTERNAL)
                    .redisUri("redis://host.docker.internal:6379")
                    .build())
            .template();
    external.resourceCountIs("AWS::EC2::VPC", 0);
    external.resourceCountIs("AWS::EC2::SecurityGroup", 0);
    external.resourceCountIs("AWS::EC2::VPCEndpoint", 0);
    external.resourceCountIs("AWS::SecretsManager::Secret", 0);
    for (String type :
        List.of(
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::SubnetGroup",
            "AWS::ElastiCache::ParameterGroup")) {
      external.resourceCountIs(type, 0);
    }
    external.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "VpcConfig", Match.absent(),
            "Environment",
                Map.of(
                    "Variables",
                    Map.of(
                        "ICECAP_REDIS_URI",
                        "redis://host.docker.internal:6379",
                        "ICECAP_REDIS_SECRET_ARN",
                        Match.absent()))));
    external.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of(
            "ManagedPolicyArns",
            Match.exact(List.of(managedPolicy("service-role/AWSLambdaBasicExecutionRole")))));
    external.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.exact(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Action",
                                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))),
                        Match.objectLike(Map.of("Action", "s3:ListBucket")))))));
    assertThat(external.findOutputs("*").keySet())
        .doesNotContain("RedisSecretArn", "ClientSecurityGroupId")
        .contains("RedisUri", "ClientPolicyArn");
    assertNoWildcards(external);
  }

  @Test
  void withoutSweeperNothingIsScheduled() {
    Template noSweeper =
        TestingStacks.synthesize(dir, IcecapStackProps.builder(code).sweeper(false).build())
            .template();
    noSweeper.resourceCountIs("AWS::Events::Rule", 0);
    noSweeper.resourceCountIs("AWS::Lambda::Permission", 0);
    noSweeper.resourceCountIs("AWS::Lambda::Function", 1);
  }

  @Test
  void arm64AndSmallerSettingsReachTheFunction() {
    Template arm =
        TestingStacks.synthesize(
                dir,
                IcecapStackProps.builder(code)
                    .architecture(WorkerArchitecture.ARM64)
                    .redis(RedisKind.EXTERNAL)
                    .redisUri("rediss://redis.example.com:6379")
                    .memorySize(2048)
                    .timeoutSeconds(60)
                    .ephemeralStorageSize(2048)
                    .catalog("lake")
                    .build())
            .template();
    arm.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Architectures", List.of("arm64"),
            "MemorySize", 2048,
            "Timeout", 60,
            "EphemeralStorage", Map.of("Size", 2048),
            "Environment",
                Map.of(
                    "Variables",
                    Map.of(
                        "ICECAP_CATALOG", "lake",
                        // four fifths of 2048 MiB
                        "ICECAP_CACHE_BYTES", "1717986916"))));
  }

  private static void assertNoWildcards(Template template) {
    List<Map<?, ?>> statements = new ArrayList<>();
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      template
          .findResources(type)
          .values()
          .forEach(
              resource -> {
                Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) resource).get("Properties");
                Object document = properties.get("PolicyDocument");
                if (document != null) {
                  statements.addAll(asStatements(((Map<?, ?>) document).get("Statement")));
                }
              });
    }
    assertThat(statements).isNotEmpty();
    for (Map<?, ?> statement : statements) {
      assertThat(asList(statement.get("Action")))
          .as("actions of %s", statement)
          .allSatisfy(action -> assertThat((String) action).doesNotContain("*"));
      assertThat(asList(statement.get("Resource")))
          .as("resources of %s", statement)
          .doesNotContain("*");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<?, ?>> asStatements(Object statements) {
    return (List<Map<?, ?>>) (List<?>) asList(statements);
  }

  private static List<Object> asList(Object value) {
    return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
  }

  static String onlyId(Template template, String type) {
    Map<String, Map<String, Object>> resources = template.findResources(type);
    assertThat(resources).as("resources of type %s", type).hasSize(1);
    return resources.keySet().iterator().next();
  }

  private static String groupId(SecurityGroup group) {
    return stack.getLogicalId((CfnElement) group.getNode().getDefaultChild());
  }

  private static Map<String, Object> getAtt(String securityGroup) {
    return Map.of("Fn::GetAtt", List.of(securityGroup, "GroupId"));
  }

  private static Map<String, Object> managedPolicy(String name) {
    return join("arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/" + name);
  }

  private static Map<String, Object> join(Object... parts) {
    return Map.of("Fn::Join", List.of("", List.of(parts)));
  }
}
