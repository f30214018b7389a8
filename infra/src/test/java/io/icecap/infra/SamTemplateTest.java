package io.icecap.infra;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infra/template.yaml deploys what the CDK app deploys by default. */
class SamTemplateTest {

  // Maven runs tests in the module directory
  private static final Path SAM_TEMPLATE = Path.of("template.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SHORT_FORM_INTRINSIC =
      Pattern.compile(
          "!(Ref|Sub|GetAtt|Join|Select|GetAZs|If|Equals|Not|And|Or|Split|ImportValue|FindInMap"
              + "|Base64|Cidr|Condition|Transform)\\b");

  private static final String LOCALSTACK_REDIS = "redis://host.docker.internal:6379";

  @TempDir static Path dir;

  private static Map<String, Object> sam;
  private static DeploymentEssentials cdk;

  @BeforeAll
  static void readBoth() throws IOException {
    sam = YAML.readValue(SAM_TEMPLATE.toFile(), new TypeReference<Map<String, Object>>() {});
    cdk =
        DeploymentEssentials.of(
            TestingStacks.synthesize(
                    dir, IcecapStackProps.builder(TestingStacks.dummyCode(dir)).build())
                .template()
                .toJSON());
  }

  @Test
  void samTemplateMatchesTheCdkStack() {
    DeploymentEssentials fromSam = DeploymentEssentials.of(sam);
    assertThat(cdk.differences(fromSam, "CDK", "SAM")).isEmpty();
    // the comparison saw what matters, rather than two empty readings
    assertThat(fromSam.handler())
        .isEqualTo("io.icecap.worker.function.ApplyFunction::handleRequest");
    assertThat(fromSam.runtime()).isEqualTo("java17");
    assertThat(fromSam.memorySize()).isEqualTo("4096");
    assertThat(fromSam.timeout()).isEqualTo("300");
    assertThat(fromSam.ephemeralStorage()).isEqualTo("10240");
    assertThat(fromSam.architectures()).isEqualTo("[x86_64]");
    assertThat(fromSam.environment())
        .containsOnlyKeys(
            "ICECAP_REDIS_URI",
            "ICECAP_REDIS_SECRET_ARN",
            "ICECAP_WAREHOUSE",
            "ICECAP_CATALOG",
            "ICECAP_CACHE_BYTES",
            "ICECAP_WORK_DIR",
            "JAVA_TOOL_OPTIONS")
        .containsEntry(
            "ICECAP_REDIS_URI",
            "rediss://${AWS::ElastiCache::ReplicationGroup.PrimaryEndPoint.Address}:6379")
        .containsEntry("ICECAP_WAREHOUSE", "s3://${AWS::S3::Bucket}/warehouse")
        .containsEntry("ICECAP_CATALOG", "icecap")
        .containsEntry("ICECAP_CACHE_BYTES", "8589934592");
    assertThat(fromSam.iamActions())
        .containsExactly(
            "s3:DeleteObject",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:PutObject",
            "secretsmanager:GetSecretValue");
    assertThat(fromSam.managedPolicies())
        .containsExactly("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole");
    assertThat(fromSam.logRetentionDays()).isEqualTo("30");
    assertThat(fromSam.schedules())
        .containsExactly(
            "rate(1 minute) input={\"sweep\":true} retryPolicy={MaximumRetryAttempts=0}");
    assertThat(fromSam.resources())
        .containsKeys(
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::ParameterGroup",
            "AWS::ElastiCache::SubnetGroup",
            "AWS::EC2::VPCEndpoint",
            "AWS::SecretsManager::Secret")
        .doesNotContainKey("AWS::EC2::NatGateway");
    assertThat(fromSam.resources().get("AWS::ElastiCache::ReplicationGroup"))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains(
            "MultiAZEnabled=true",
            "AutomaticFailoverEnabled=true",
            "TransitEncryptionEnabled=true",
            "AtRestEncryptionEnabled=true");
    assertThat(fromSam.resources().get("AWS::ElastiCache::ParameterGroup"))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("Properties={cluster-enabled=no, maxmemory-policy=noeviction}");
  }

  @Test
  void samTemplateWithRedisUriMatchesTheExternalCdkStack() {
    DeploymentEssentials cdkExternal =
        DeploymentEssentials.of(
            TestingStacks.synthesize(
                    dir,
                    IcecapStackProps.builder(TestingStacks.dummyCode(dir))
                        .redis(RedisKind.EXTERNAL)
                        .redisUri(LOCALSTACK_REDIS)
                        .build())
                .template()
                .toJSON());
    DeploymentEssentials samExternal =
        DeploymentEssentials.of(sam, Map.of("RedisUri", LOCALSTACK_REDIS));
    assertThat(cdkExternal.differences(samExternal, "CDK", "SAM")).isEmpty();
    assertThat(samExternal.environment())
        .containsEntry("ICECAP_REDIS_URI", LOCALSTACK_REDIS)
        .doesNotContainKey("ICECAP_REDIS_SECRET_ARN");
    assertThat(samExternal.vpcConfig()).isEqualTo("none");
    assertThat(samExternal.managedPolicies()).containsExactly("AWSLambdaBasicExecutionRole");
    assertThat(samExternal.iamActions())
        .containsExactly("s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject");
    assertThat(samExternal.resources())
        .doesNotContainKeys(
            "AWS::EC2::VPC",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::ParameterGroup",
            "AWS::SecretsManager::Secret")
        .containsKeys("AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::IAM::ManagedPolicy");
  }

  @Test
  void samTemplateIsServerlessAndUsesLongFormIntrinsics() throws IOException {
    assertThat(sam).containsEntry("Transform", "AWS::Serverless-2016-10-31");
    // jackson-dataformat-yaml would read "!Ref X" as the plain string "X"
    List<String> shortForms = new ArrayList<>();
    List<String> lines = Files.readAllLines(SAM_TEMPLATE);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("#") && SHORT_FORM_INTRINSIC.matcher(line).find()) {
        shortForms.add((i + 1) + ": " + line);
      }
    }
    assertThat(shortForms).as("short-form intrinsic functions in %s", SAM_TEMPLATE).isEmpty();
  }

  @Test
  void missingHandlerIsNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    function(broken).remove("Handler");
    assertThat(cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM"))
        .containsExactly(
            "handler: CDK has 'io.icecap.worker.function.ApplyFunction::handleRequest', SAM has none");
  }

  @Test
  void changedSettingsAndEnvironmentAreNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    Map<String, Object> function = function(broken);
    function.put("MemorySize", 2048);
    function.put("Architectures", List.of("arm64"));
    Map<String, Object> variables = map(map(function.get("Environment")).get("Variables"));
    variables.remove("ICECAP_WORK_DIR");
    variables.put("ICECAP_CACHE_BYTES", "1024");
    assertThat(cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM"))
        .containsExactly(
            "memorySize: CDK has '4096', SAM has '2048'",
            "architectures: CDK has '[x86_64]', SAM has '[arm64]'",
            "environment variable ICECAP_CACHE_BYTES: CDK has '8589934592', SAM has '1024'",
            "environment variable ICECAP_WORK_DIR: CDK has '/tmp/icecap', SAM has none");
  }

  @Test
  void widerIamGrantsAreNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    Map<String, Object> role =
        map(map(map(broken.get("Resources")).get("ApplyFunctionRole")).get("Properties"));
    Map<String, Object> policy =
        map(map(((List<?>) role.get("Policies")).get(0)).get("PolicyDocument"));
    Map<String, Object> objects = map(((List<?>) policy.get("Statement")).get(0));
    objects.put("Action", List.of("s3:*"));
    List<String> differences = cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM");
    assertThat(differences).hasSize(2);
    assertThat(differences.get(0))
        .isEqualTo(
            "IAM actions: only in CDK [s3:DeleteObject, s3:GetObject, s3:PutObject];"
                + " only in SAM [s3:*]");
    assertThat(differences.get(1))
        .startsWith("IAM statements: only in CDK [Allow [s3:DeleteObject");
  }

  @Test
  void lostLogRetentionAndScheduleInputAreNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    map(map(broken.get("Resources")).get("ApplyFunctionLogs")).put("Properties", Map.of());
    Map<String, Object> sweep = map(map(function(broken).get("Events")).get("Sweep"));
    map(sweep.get("Properties")).put("Input", "{\"sweep\": false}");
    List<String> differences = cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM");
    assertThat(differences)
        .contains(
            "log retention days: CDK has '30', SAM has 'none'",
            "schedules: only in CDK [rate(1 minute) input={\"sweep\":true}"
                + " retryPolicy={MaximumRetryAttempts=0}];"
                + " only in SAM [rate(1 minute) input={\"sweep\":false}"
                + " retryPolicy={MaximumRetryAttempts=0}]");
    assertThat(differences)
        .anySatisfy(d -> assertThat(d).startsWith("AWS::Logs::LogGroup resources: only in CDK"));
  }

  @Test
  void missingNetworkPiecesAreNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    map(broken.get("Resources")).remove("S3Endpoint");
    map(map(map(broken.get("Resources")).get("RedisReplicationGroup")).get("Properties"))
        .put("TransitEncryptionEnabled", false);
    List<String> differences = cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM");
    assertThat(differences)
        .anySatisfy(
            d ->
                assertThat(d)
                    .startsWith("AWS::EC2::VPCEndpoint resources: only in CDK [{RouteTableIds=")
                    .endsWith("only in SAM []"))
        .anySatisfy(
            d ->
                assertThat(d)
                    .startsWith("AWS::ElastiCache::ReplicationGroup resources: only in CDK [")
                    .contains("TransitEncryptionEnabled=true")
                    .contains("only in SAM [")
                    .contains("TransitEncryptionEnabled=false"));
  }

  @Test
  void evictingRedisIsNamed() throws IOException {
    Map<String, Object> broken = copyOfSam();
    Map<String, Object> parameterGroup =
        map(map(map(broken.get("Resources")).get("RedisParameterGroup")).get("Properties"));
    map(parameterGroup.get("Properties")).put("maxmemory-policy", "volatile-lru");
    assertThat(cdk.differences(DeploymentEssentials.of(broken), "CDK", "SAM"))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .startsWith("AWS::ElastiCache::ParameterGroup resources: only in CDK [")
        .contains("maxmemory-policy=noeviction")
        .contains("maxmemory-policy=volatile-lru");
  }

  private static Map<String, Object> copyOfSam() throws IOException {
    return YAML.readValue(SAM_TEMPLATE.toFile(), new TypeReference<Map<String, Object>>() {});
  }

  private static Map<String, Object> function(Map<String, Object> template) {
    return map(map(map(template.get("Resources")).get("ApplyFunction")).get("Properties"));
  }

  private static Map<String, Object> map(Object value) {
    return TemplateView.map(value);
  }
}
