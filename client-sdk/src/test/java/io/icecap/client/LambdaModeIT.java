package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.testing.TestingLambdaServer;
import io.icecap.worker.function.ApplyFunction;
import io.icecap.worker.function.FunctionSettings;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session whose writes are applied by the worker function on Lambda: {@code lambda.function} and
 * its endpoint in the catalog properties, and the Lambda Invoke API serving {@link ApplyFunction}
 * over HTTP.
 */
class LambdaModeIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @TempDir Path home;
  @TempDir Path functions;

  private Map<String, String> functionEnv(String warehouse, String environment) {
    Map<String, String> properties = new LinkedHashMap<>(S3.server().fileIoProperties());
    properties.put("uri", REDIS.server().uri());
    properties.put("warehouse", warehouse);
    Map<String, String> env =
        new LinkedHashMap<>(
            FunctionSettings.environment("icecap", properties, functions.resolve(environment)));
    env.put("ICECAP_CACHE_BYTES", String.valueOf(64L << 20));
    return env;
  }

  @Test
  void writesAreAppliedByTheFunctionAndQueriesSeeThem() throws Exception {
    String warehouse = "s3://" + S3.server().createBucket("lake-" + UUID.randomUUID()) + "/w";
    AtomicInteger environments = new AtomicInteger();
    try (TestingLambdaServer lambda =
        TestingLambdaServer.start(
            "icecap-worker",
            () ->
                new ApplyFunction(functionEnv(warehouse, "env-" + environments.incrementAndGet())),
            Duration.ofSeconds(60),
            2)) {
      Map<String, String> properties = new LinkedHashMap<>(S3.server().fileIoProperties());
      properties.put("lambda.function", "icecap-worker");
      properties.put("lambda.endpoint", lambda.endpoint().toString());
      properties.put("lambda.region", "us-east-1");
      properties.put("lambda.access-key-id", "test");
      properties.put("lambda.secret-access-key", "test");
      IcecapConfig config =
          IcecapConfig.redis(REDIS.server().uri(), warehouse, home)
              .withWorkers(0)
              .withCatalogProperties(properties);
      try (IcecapSession session = Icecap.connect(config)) {
        session.execute("CREATE SCHEMA shop");
        session.execute(
            "CREATE TABLE shop.orders (id BIGINT NOT NULL, qty INTEGER) PARTITIONED BY"
                + " (bucket(4, id))");
        assertThat(
                session.execute("INSERT INTO shop.orders SELECT i, i % 7 FROM range(1, 101) r(i)"))
            .isEqualTo(100);
        assertThat(session.execute("UPDATE shop.orders SET qty = qty + 1 WHERE id <= ?", 10))
            .isEqualTo(10);
        try (ResultSet result = session.query("SELECT count(*), sum(qty) FROM shop.orders")) {
          result.next();
          assertThat(result.getLong(1)).isEqualTo(100);
          long expected = 10;
          for (int i = 1; i <= 100; i++) {
            expected += i % 7;
          }
          assertThat(result.getLong(2)).isEqualTo(expected);
        }
      }
      assertThat(lambda.invocations()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void malformedLambdaSettingsAreRefusedWithThePropertyNamed() {
    IcecapConfig base =
        IcecapConfig.redis(REDIS.server().uri(), home.resolve("w").toString(), home);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("lambda.function= ", "lambda.function is empty");
    cases.put("lambda.concurrency=0", "lambda.concurrency must be between 1 and 1000, got 0");
    cases.put("lambda.concurrency=many", "lambda.concurrency must be a whole number");
    cases.put("lambda.endpoint=localhost:4566", "lambda.endpoint must be an http:// or https://");
    cases.put("lambda.access-key-id=AK", "Set both lambda.access-key-id and");
    for (Map.Entry<String, String> entry : cases.entrySet()) {
      String[] pair = entry.getKey().split("=", 2);
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("lambda.function", "icecap-worker");
      properties.put(pair[0], pair[1]);
      assertThatThrownBy(() -> Icecap.connect(base.withCatalogProperties(properties)).close())
          .as(entry.getKey())
          .isInstanceOfSatisfying(
              IcecapException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining(entry.getValue());
    }
  }
}
