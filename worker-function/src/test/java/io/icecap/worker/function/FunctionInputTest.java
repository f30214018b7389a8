package io.icecap.worker.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.txn.dispatch.ApplyRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/** What the worker function accepts from its environment, its events and its secret. */
class FunctionInputTest {
  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("ICECAP_REDIS_URI", "redis://127.0.0.1:6399");
    env.put("ICECAP_WAREHOUSE", "s3://bucket/warehouse");
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        env.remove(pairs[i]);
      } else {
        env.put(pairs[i], pairs[i + 1]);
      }
    }
    return env;
  }

  @Test
  void settingsComeFromTheEnvironmentWithDefaults() {
    FunctionSettings settings = FunctionSettings.fromEnvironment(env());
    assertThat(settings.catalogName()).isEqualTo("icecap");
    assertThat(settings.catalogProperties())
        .containsEntry("uri", "redis://127.0.0.1:6399")
        .containsEntry("warehouse", "s3://bucket/warehouse")
        .hasSize(2);
    assertThat(settings.redisSecretArn()).isNull();
    assertThat(settings.worker().workDir()).isEqualTo(Path.of("/tmp/icecap"));
    assertThat(settings.worker().cacheBytes()).isEqualTo(8L << 30);
    assertThat(settings.worker().leaseTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.worker().maxRecords()).isEqualTo(10_000);
    assertThat(settings.worker().owner()).startsWith("lambda-function-");
    assertThat(settings.timeMargin()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.sweepStaleAfter()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void everySettingCanBeGiven() {
    FunctionSettings settings =
        FunctionSettings.fromEnvironment(
            env(
                "ICECAP_CATALOG", "lake",
                "ICECAP_REDIS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:redis",
                "ICECAP_CATALOG_PROPERTIES",
                    "s3.endpoint=http://localhost:4566,\n s3.path-style-access = true",
                "ICECAP_WORK_DIR", "/var/icecap",
                "ICECAP_CACHE_BYTES", "1024",
                "ICECAP_LEASE_MS", "5000",
                "ICECAP_CHECKPOINT_RECORDS", "7",
                "ICECAP_CHECKPOINT_DELAY_MS", "250",
                "ICECAP_OPEN_REPLICAS", "0",
                "ICECAP_PARTITION_THREADS", "3",
                "ICECAP_TIME_MARGIN_MS", "1500",
                "ICECAP_SWEEP_STALE_MS", "0",
                "AWS_LAMBDA_FUNCTION_NAME", "icecap-worker"));
    assertThat(settings.catalogName()).isEqualTo("lake");
    assertThat(settings.redisSecretArn())
        .isEqualTo("arn:aws:secretsmanager:eu-west-1:1:secret:redis");
    assertThat(settings.catalogProperties())
        .containsEntry("s3.endpoint", "http://localhost:4566")
        .containsEntry("s3.path-style-access", "true");
    assertThat(settings.worker().workDir()).isEqualTo(Path.of("/var/icecap"));
    assertThat(settings.worker().cacheBytes()).isEqualTo(1024);
    assertThat(settings.worker().leaseTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.worker().maxRecords()).isEqualTo(7);
    assertThat(settings.worker().maxDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.worker().openReplicas()).isZero();
    assertThat(settings.worker().partitionThreads()).isEqualTo(3);
    assertThat(settings.worker().owner()).startsWith("lambda-icecap-worker-");
    assertThat(settings.timeMargin()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.sweepStaleAfter()).isZero();
  }

  @Test
  void aMissingOrMalformedVariableIsNamed() {
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_REDIS_URI", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ICECAP_REDIS_URI is not set");
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_WAREHOUSE", " ")))
        .hasMessageContaining("ICECAP_WAREHOUSE is not set");
    assertThatThrownBy(
            () -> FunctionSettings.fromEnvironment(env("ICECAP_REDIS_URI", "http://redis:6379")))
        .hasMessageContaining("ICECAP_REDIS_URI must start with redis:// or rediss://");
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_LEASE_MS", "30s")))
        .hasMessageContaining("ICECAP_LEASE_MS must be a whole number, got '30s'");
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_LEASE_MS", "10")))
        .hasMessageContaining("ICECAP_LEASE_MS must be at least 1000, got 10");
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_CACHE_BYTES", "-1")))
        .hasMessageContaining("ICECAP_CACHE_BYTES must be at least 0");
    assertThatThrownBy(
            () -> FunctionSettings.fromEnvironment(env("ICECAP_CHECKPOINT_RECORDS", "0")))
        .hasMessageContaining("ICECAP_CHECKPOINT_RECORDS must be at least 1");
    assertThatThrownBy(
            () -> FunctionSettings.fromEnvironment(env("ICECAP_CATALOG_PROPERTIES", "a=1,oops")))
        .hasMessageContaining("ICECAP_CATALOG_PROPERTIES has a malformed entry 'oops'");
    assertThatThrownBy(
            () ->
                FunctionSettings.fromEnvironment(
                    env("ICECAP_CATALOG_PROPERTIES", "uri=redis://elsewhere")))
        .hasMessageContaining("set it with ICECAP_REDIS_URI instead");
    assertThatThrownBy(() -> FunctionSettings.fromEnvironment(env("ICECAP_CATALOG", "  ")))
        .hasMessageContaining("ICECAP_CATALOG is empty");
    assertThatThrownBy(() -> new ApplyFunction(env("ICECAP_WAREHOUSE", null)))
        .hasMessageContaining("ICECAP_WAREHOUSE is not set");
  }

  @Test
  void anApplyEventNamesATable() {
    assertThat(ApplyFunction.parse(Map.of("table", "db.items", "upToSequence", 42)))
        .isEqualTo(new ApplyRequest(TableIdentifier.of("db", "items"), 42));
    assertThat(ApplyFunction.parse(Map.of("table", " db.items ", "upToSequence", 1L << 40)))
        .isEqualTo(new ApplyRequest(TableIdentifier.of("db", "items"), 1L << 40));
    assertThat(ApplyFunction.parse(Map.of("table", "a.b.items")))
        .isEqualTo(new ApplyRequest(TableIdentifier.of("a", "b", "items"), 0));
  }

  @Test
  void malformedEventsAreRefusedWithWhatToSend() {
    assertThatThrownBy(() -> ApplyFunction.parse(null)).hasMessageContaining("The event is empty");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of()))
        .hasMessageContaining("The event is empty: send {\"table\"");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("tabel", "db.items")))
        .hasMessageContaining("unknown field 'tabel'");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("table", 12)))
        .hasMessageContaining(
            "'table' must be a table name such as \"db.items\", got 12 (Integer)");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("table", "items")))
        .hasMessageContaining("must name the namespace too");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("table", "db.items", "upToSequence", -1)))
        .hasMessageContaining("'upToSequence' must be a whole number of at least 0, got -1");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("table", "db.items", "upToSequence", "12")))
        .hasMessageContaining("got '12'");
    assertThatThrownBy(() -> ApplyFunction.parse(Map.of("table", "db.items", "upToSequence", 1.5)))
        .hasMessageContaining("got 1.5 (Double)");
    Map<String, Object> sweepAndMore = new LinkedHashMap<>();
    sweepAndMore.put("sweep", true);
    sweepAndMore.put("table", "db.items");
    assertThatThrownBy(() -> ApplyFunction.parse(sweepAndMore))
        .hasMessageContaining("unknown field 'sweep'");
  }

  @Test
  void theRedisSecretIsJsonOrABarePassword() {
    assertThat(RedisSecret.parse("arn", "{\"username\": \"icecap\", \"password\": \"p@ss\"}"))
        .isEqualTo(new ApplyFunction.RedisCredentials("icecap", "p@ss"));
    assertThat(RedisSecret.parse("arn", "{\"password\": \"p@ss\"}"))
        .isEqualTo(new ApplyFunction.RedisCredentials(null, "p@ss"));
    assertThat(RedisSecret.parse("arn", " s3cret \n"))
        .isEqualTo(new ApplyFunction.RedisCredentials(null, "s3cret"));
    assertThatThrownBy(() -> RedisSecret.parse("arn:x", ""))
        .hasMessageContaining("The secret arn:x (ICECAP_REDIS_SECRET_ARN) has no string value");
    assertThatThrownBy(() -> RedisSecret.parse("arn:x", "{\"username\": \"icecap\""))
        .hasMessageContaining("is malformed JSON");
    assertThatThrownBy(() -> RedisSecret.parse("arn:x", "{\"username\": \"icecap\"}"))
        .hasMessageContaining("has no string 'password' field");
    assertThatThrownBy(() -> RedisSecret.parse("arn:x", "{\"username\": 7, \"password\": \"p\"}"))
        .hasMessageContaining("'username' that is not a string");
  }

  @Test
  void aFailedJobIsReportedInOneLine() {
    IllegalStateException multiLine =
        new IllegalStateException("Cannot commit db.t: Redis at redis://h:6379 failed\nManual...");
    assertThatThrownBy(
            () ->
                ApplyFunction.oneLine(
                    () -> {
                      throw multiLine;
                    }))
        .isNotSameAs(multiLine)
        .hasMessage("Cannot commit db.t: Redis at redis://h:6379 failed")
        .hasCause(multiLine);
    assertThatThrownBy(
            () ->
                ApplyFunction.oneLine(
                    () -> {
                      throw new NullPointerException();
                    }))
        .hasMessage("java.lang.NullPointerException");
    IllegalArgumentException oneLine = new IllegalArgumentException("no such table db.t");
    assertThatThrownBy(
            () ->
                ApplyFunction.oneLine(
                    () -> {
                      throw oneLine;
                    }))
        .isSameAs(oneLine);
  }
}
