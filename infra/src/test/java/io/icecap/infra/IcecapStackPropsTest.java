package io.icecap.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Props and CDK context: defaults, and refusals that name the prop and what it accepts. */
class IcecapStackPropsTest {

  @TempDir static Path dir;

  private static Path code;

  @BeforeAll
  static void writeCode() {
    code = TestingStacks.dummyCode(dir);
  }

  @Test
  void defaultsAreElastiCacheX86AndTheLambdaSizesOfTheDesign() {
    IcecapStackProps props = IcecapStackProps.builder(code).build();
    assertThat(props.redis()).isEqualTo(RedisKind.ELASTICACHE);
    assertThat(props.redisNodeType()).isEqualTo("cache.t4g.small");
    assertThat(props.architecture()).isEqualTo(WorkerArchitecture.X86_64);
    assertThat(props.memorySize()).isEqualTo(4096);
    assertThat(props.timeoutSeconds()).isEqualTo(300);
    assertThat(props.ephemeralStorageSize()).isEqualTo(10240);
    assertThat(props.catalog()).isEqualTo("icecap");
    assertThat(props.cacheBytes()).isEqualTo(8L * 1024 * 1024 * 1024);
    assertThat(props.sweeper()).isTrue();
    assertThat(AppContext.props(Map.of("code", code.toString())::get, dir))
        .as("props from a context naming only the code")
        .isEqualTo(props);
  }

  @Test
  void contextDefaultsToTheWorkerFunctionZipOfTheArchitecture() {
    Path infra = Path.of("/src/icecap/infra");
    assertThat(AppContext.defaultCode(infra, WorkerArchitecture.X86_64))
        .isEqualTo(
            Path.of(
                "/src/icecap/worker-function/target/"
                    + "icecap-worker-function-0.1.0-SNAPSHOT-lambda-x86_64.zip"));
    assertThat(AppContext.defaultCode(infra, WorkerArchitecture.ARM64))
        .isEqualTo(
            Path.of(
                "/src/icecap/worker-function/target/"
                    + "icecap-worker-function-0.1.0-SNAPSHOT-lambda-arm64.zip"));
  }

  @Test
  void contextValuesArriveAsStringsOrJsonNumbers() {
    Map<String, Object> context = new HashMap<>();
    context.put("code", code.getFileName().toString());
    context.put("architecture", "arm64");
    context.put("redis", "external");
    context.put("redisUri", "redis://host.docker.internal:6379");
    context.put("memorySize", 2048.0);
    context.put("timeoutSeconds", "120");
    context.put("ephemeralStorageSize", "4096");
    context.put("catalog", "lake");
    context.put("sweeper", "false");
    IcecapStackProps props = AppContext.props(context::get, dir);
    assertThat(props.code()).isEqualTo(code);
    assertThat(props.architecture()).isEqualTo(WorkerArchitecture.ARM64);
    assertThat(props.redis()).isEqualTo(RedisKind.EXTERNAL);
    assertThat(props.redisUri()).isEqualTo("redis://host.docker.internal:6379");
    assertThat(props.redisNodeType()).isNull();
    assertThat(props.memorySize()).isEqualTo(2048);
    assertThat(props.timeoutSeconds()).isEqualTo(120);
    assertThat(props.ephemeralStorageSize()).isEqualTo(4096);
    assertThat(props.cacheBytes()).isEqualTo(4096L * 1024 * 1024 / 5 * 4);
    assertThat(props.catalog()).isEqualTo("lake");
    assertThat(props.sweeper()).isFalse();
  }

  @Test
  void unknownRedisKindNamesTheAcceptedOnes() {
    assertThatThrownBy(() -> AppContext.props(context("redis", "valkey"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown redis 'valkey': use one of elasticache, external");
  }

  @Test
  void unknownArchitectureNamesTheAcceptedOnes() {
    assertThatThrownBy(() -> AppContext.props(context("architecture", "amd64"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown architecture 'amd64': use one of x86_64, arm64");
  }

  @Test
  void externalRedisNeedsAUri() {
    assertThatThrownBy(() -> IcecapStackProps.builder(code).redis(RedisKind.EXTERNAL).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "redis=external needs redisUri, a redis:// or rediss:// URI (got none):"
                + " pass -c redisUri=redis://host:6379");
    assertThatThrownBy(
            () ->
                IcecapStackProps.builder(code)
                    .redis(RedisKind.EXTERNAL)
                    .redisUri("localhost:6379")
                    .build())
        .hasMessageContaining("(got 'localhost:6379')");
  }

  @Test
  void managedRedisRefusesAUriItWouldIgnore() {
    assertThatThrownBy(() -> IcecapStackProps.builder(code).redisUri("redis://elsewhere").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "redisUri is only used with redis=external; redis=elasticache creates its own Redis");
  }

  @Test
  void memoryBelow512IsRefusedWithTheRange() {
    assertThatThrownBy(() -> IcecapStackProps.builder(code).memorySize(256).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memorySize 256 MB is out of range: use 512 to 10240");
    assertThatThrownBy(() -> AppContext.props(context("memorySize", "lots"), dir))
        .hasMessage("Context memorySize must be a whole number, got 'lots'");
  }

  @Test
  void timeoutAndStorageOutsideLambdaLimitsAreRefused() {
    assertThatThrownBy(() -> IcecapStackProps.builder(code).timeoutSeconds(901).build())
        .hasMessage("timeoutSeconds 901 s is out of range: use 1 to 900");
    assertThatThrownBy(() -> IcecapStackProps.builder(code).ephemeralStorageSize(20480).build())
        .hasMessage("ephemeralStorageSize 20480 MiB is out of range: use 512 to 10240");
  }

  @Test
  void cacheMustLeaveRoomInTmp() {
    assertThatThrownBy(
            () ->
                IcecapStackProps.builder(code)
                    .ephemeralStorageSize(1024)
                    .cacheBytes(1024L * 1024 * 1024)
                    .build())
        .hasMessageStartingWith(
            "cacheBytes 1073741824 does not fit ephemeralStorageSize 1024 MiB: use 1 to 1073741823");
  }

  @Test
  void missingCodeSaysHowToBuildIt() {
    Path missing = dir.resolve("missing.zip");
    assertThatThrownBy(() -> IcecapStackProps.builder(missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "code "
                + missing
                + " is not a file: build the worker-function zip from the repository root with"
                + " './mvnw -B -q -pl worker-function -am package -DskipTests'"
                + " or pass the zip with -c code=<path>");
  }

  @Test
  void sweeperMustBeABoolean() {
    assertThatThrownBy(() -> AppContext.props(context("sweeper", "yes"), dir))
        .hasMessage("Context sweeper must be true or false, got 'yes'");
  }

  /** Context with the dummy code and one more key. */
  private static java.util.function.Function<String, Object> context(String key, String value) {
    Map<String, Object> context = Map.of("code", code.toString(), key, value);
    return context::get;
  }
}
