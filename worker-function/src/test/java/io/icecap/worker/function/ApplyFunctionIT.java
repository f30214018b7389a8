package io.icecap.worker.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.testing.TestingLambdaContext;
import io.icecap.testing.TestingLambdaServer;
import io.icecap.worker.JobHooks;
import io.icecap.worker.JobStep;
import io.icecap.worker.S3WritePath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The worker function called as the Lambda runtime calls it (JSON in and out through the Invoke
 * API, a context with the time left), against real Redis, a real S3-API warehouse and DuckDB.
 */
class ApplyFunctionIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  private static final TableIdentifier OTHER = TableIdentifier.of("db", "other");

  @TempDir Path work;
  private S3WritePath path;

  @BeforeEach
  void setUp() {
    path = S3WritePath.start(REDIS, S3.server(), work, properties -> S3WritePath.NO_INVOKER);
    path.createItems(ITEMS);
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  private Map<String, String> env(String name, String... more) {
    Map<String, String> env = new HashMap<>(path.functionEnv(work.resolve(name)));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static Map<String, Object> invoke(LambdaClient client, String payload) {
    InvokeResponse response =
        client.invoke(
            request ->
                request.functionName("icecap-worker").payload(SdkBytes.fromUtf8String(payload)));
    Map<String, Object> answer = read(response.payload().asUtf8String());
    if (response.functionError() != null) {
      answer.put("functionError", response.functionError());
    }
    return answer;
  }

  private static Map<String, Object> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<HashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + json, e);
    }
  }

  @Test
  void invocationsApplyTheLogAndWarmOnesReuseTheEnvironment() {
    for (long id = 1; id <= 20; id++) {
      path.insert(ITEMS, id);
    }
    try (TestingLambdaServer lambda =
            TestingLambdaServer.start(
                "icecap-worker", () -> new ApplyFunction(env("fn")), Duration.ofSeconds(60), 1);
        LambdaClient client = lambda.client()) {
      Map<String, Object> first = invoke(client, "{\"table\": \"db.items\", \"upToSequence\": 20}");
      assertThat(first)
          .containsEntry("table", "db.items")
          .containsEntry("end", "DONE")
          .containsEntry("pending", false)
          .doesNotContainKey("functionError");
      assertThat((Integer) first.get("checkpoints")).isGreaterThanOrEqualTo(1);
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 20)));

      path.insert(ITEMS, 21);
      Map<String, Object> second = invoke(client, "{\"table\": \"db.items\"}");
      assertThat(second).containsEntry("end", "DONE").containsEntry("checkpoints", 1);
      Map<String, Object> idle = invoke(client, "{\"table\": \"db.items\"}");
      assertThat(idle).containsEntry("end", "DONE").containsEntry("checkpoints", 0);
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 21)));
      assertThat(lambda.coldStarts()).isEqualTo(1);
      assertThat(lambda.invocations()).isEqualTo(3);
    }
  }

  @Test
  void aJobOutOfTimeStopsBetweenCheckpointsAndTheRestIsAppliedLater() {
    for (long id = 1; id <= 60; id++) {
      path.insert(ITEMS, id);
    }
    // 5 records per checkpoint and at least 500 ms between checkpoints: 12 are needed, and at most
    // 3 fit in the 1.2 s the first invocation has
    try (ApplyFunction function =
        new ApplyFunction(
            env(
                "fn",
                "ICECAP_CHECKPOINT_RECORDS",
                "5",
                "ICECAP_CHECKPOINT_DELAY_MS",
                "500",
                "ICECAP_TIME_MARGIN_MS",
                "0"))) {
      Map<String, Object> first =
          function.handleRequest(
              read("{\"table\": \"db.items\", \"upToSequence\": 60}"),
              TestingLambdaContext.withTimeLeft(Duration.ofMillis(1200)));
      assertThat(first).containsEntry("end", "OUT_OF_TIME").containsEntry("pending", true);
      int checkpoints = (Integer) first.get("checkpoints");
      assertThat(checkpoints).isBetween(1, 11);
      assertThat(path.rows(ITEMS)).hasSize(5 * checkpoints);
      assertThat(path.logs.table(ITEMS).state().hasPending()).isTrue();

      Map<String, Object> rest =
          function.handleRequest(
              read("{\"table\": \"db.items\"}"),
              TestingLambdaContext.withTimeLeft(Duration.ofSeconds(120)));
      assertThat(rest).containsEntry("end", "DONE").containsEntry("checkpoints", 12 - checkpoints);
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 60)));
    }
  }

  @Test
  void aFunctionStoppedAtItsTimeoutLosesNothingAndAnotherEnvironmentFinishes() throws Exception {
    for (long id = 1; id <= 10; id++) {
      path.insert(ITEMS, id);
    }
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger environments = new AtomicInteger();
    try (TestingLambdaServer lambda =
            TestingLambdaServer.start(
                "icecap-worker",
                () -> {
                  // the first environment hangs after uploading its replicas, past the timeout
                  JobHooks hooks =
                      environments.incrementAndGet() > 1
                          ? JobHooks.NONE
                          : step -> {
                            if (step == JobStep.UPLOADED) {
                              try {
                                never.await();
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException("stopped at the timeout", e);
                              }
                            }
                          };
                  return new ApplyFunction(
                      FunctionSettings.fromEnvironment(env("fn-" + environments.get())),
                      arn -> {
                        throw new AssertionError("no secret is configured");
                      },
                      hooks);
                },
                Duration.ofSeconds(3),
                1);
        LambdaClient client = lambda.client()) {
      Map<String, Object> timedOut = invoke(client, "{\"table\": \"db.items\"}");
      assertThat(timedOut)
          .containsEntry("functionError", "Unhandled")
          .containsEntry("errorMessage", "Task timed out after 3.00 seconds");
      assertThat(lambda.timeouts()).isEqualTo(1);
      assertThat(path.catalog.loadTable(ITEMS).currentSnapshot()).isNull();

      // the next invocations run in a new environment; they wait out the lease (2 s) if the
      // stopped one still held it
      Map<String, Object> answer = Map.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"DONE".equals(answer.get("end")) && System.nanoTime() < deadline) {
        answer = invoke(client, "{\"table\": \"db.items\"}");
        assertThat(answer).doesNotContainKey("functionError");
      }
      assertThat(answer).containsEntry("end", "DONE");
      assertThat(lambda.coldStarts()).isEqualTo(2);
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 10)));
      assertThat(path.catalog.loadTable(ITEMS).snapshots()).hasSize(1);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSweepAppliesEveryTableWithStalePendingRecords() {
    path.createItems(OTHER);
    path.insert(ITEMS, 1);
    path.insert(OTHER, 2);
    path.insert(OTHER, 3);
    try (ApplyFunction function = new ApplyFunction(env("fn", "ICECAP_SWEEP_STALE_MS", "0"))) {
      Map<String, Object> answer =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat(answer).containsEntry("end", "DONE").containsEntry("checkpoints", 2);
      assertThat((List<Object>) answer.get("tables"))
          .containsExactlyInAnyOrder("db.items", "db.other");
      Map<String, Object> nothing =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat(nothing).containsEntry("end", "DONE").containsEntry("checkpoints", 0);
      assertThat((List<Object>) nothing.get("tables")).isEmpty();
    }
    assertThat(path.rows(ITEMS)).containsExactly("1,v1");
    assertThat(path.rows(OTHER)).containsExactly("2,v2", "3,v3");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSweepWithTimeLeftRunsTheMaintenanceThatIsDueAfterApplying() {
    path.createItems(OTHER);
    path.insert(ITEMS, 1);
    path.insert(OTHER, 2);
    try (ApplyFunction function = new ApplyFunction(env("fn", "ICECAP_SWEEP_STALE_MS", "0"))) {
      Map<String, Object> shortOne =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat(shortOne).containsEntry("checkpoints", 2);
      assertThat((List<Object>) shortOne.get("maintained"))
          .as("less than a minute would be left after the margin")
          .isEmpty();

      Map<String, Object> longOne =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofMinutes(5)));
      assertThat((List<Object>) longOne.get("maintained"))
          .containsExactlyInAnyOrder("db.items", "db.other");
      assertThat(path.logs.table(ITEMS).maintenance().lastRun())
          .containsOnlyKeys("compact", "expire", "orphans");
      assertThat(path.logs.table(ITEMS).maintenance().lastError()).isEmpty();

      Map<String, Object> again =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofMinutes(5)));
      assertThat((List<Object>) again.get("maintained")).as("nothing is due yet").isEmpty();
    }
    assertThat(path.rows(ITEMS)).containsExactly("1,v1");
  }

  @Test
  void afterARedisOutageAnInvocationFailsInOneLineAndTheNextWorksInTheSameEnvironment() {
    for (long id = 1; id <= 3; id++) {
      path.insert(ITEMS, id);
    }
    try (TestingLambdaServer lambda =
            TestingLambdaServer.start(
                "icecap-worker", () -> new ApplyFunction(env("fn")), Duration.ofSeconds(60), 1);
        LambdaClient client = lambda.client()) {
      assertThat(invoke(client, "{\"table\": \"db.items\"}")).containsEntry("end", "DONE");
      path.insert(ITEMS, 4);

      REDIS.server().kill();
      Map<String, Object> out;
      try {
        out = invoke(client, "{\"table\": \"db.items\"}");
      } finally {
        REDIS.server().restart();
      }
      assertThat(out)
          .containsEntry("functionError", "Unhandled")
          .containsEntry("errorType", "io.icecap.catalog.RedisUnavailableException")
          .hasEntrySatisfying(
              "errorMessage",
              message ->
                  assertThat((String) message)
                      .contains("cannot reach Redis at " + REDIS.server().uri())
                      .doesNotContain("\n")
                      .doesNotContain("(null)"));

      assertThat(invoke(client, "{\"table\": \"db.items\"}"))
          .containsEntry("end", "DONE")
          .containsEntry("checkpoints", 1)
          .doesNotContainKey("functionError");
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 4)));

      // a restart between two invocations: the next one reconnects on its own
      REDIS.server().kill();
      REDIS.server().restart();
      path.insert(ITEMS, 5);
      assertThat(invoke(client, "{\"table\": \"db.items\"}"))
          .containsEntry("end", "DONE")
          .containsEntry("checkpoints", 1);
      assertThat(path.rows(ITEMS))
          .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 5)));
      assertThat(lambda.coldStarts()).as("one environment throughout").isEqualTo(1);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSweepLeavesATableWhoseJobFailedAloneUntilItsBackoffHasPassed() throws Exception {
    path.insert(ITEMS, 1);
    path.logs.table(ITEMS).recordFailure("w-9", "no space left on device");
    try (ApplyFunction function = new ApplyFunction(env("fn", "ICECAP_SWEEP_STALE_MS", "0"))) {
      Map<String, Object> early =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat((List<Object>) early.get("tables")).isEmpty();
      Map<String, Object> direct =
          function.handleRequest(
              read("{\"table\": \"db.items\"}"),
              TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat(direct).containsEntry("end", "BUSY").containsEntry("checkpoints", 0);

      Thread.sleep(path.logs.table(ITEMS).lastFailure().orElseThrow().retryDelay().toMillis());
      Map<String, Object> later =
          function.handleRequest(
              read("{\"sweep\": true}"), TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
      assertThat((List<Object>) later.get("tables")).containsExactly("db.items");
      assertThat(later).containsEntry("end", "DONE").containsEntry("checkpoints", 1);
    }
    assertThat(path.rows(ITEMS)).containsExactly("1,v1");
    assertThat(path.logs.table(ITEMS).lastFailure())
        .as("cleared by the job that got through")
        .isEmpty();
  }

  @Test
  void badEventsComeBackAsFunctionErrorsAndApplyNothing() {
    path.insert(ITEMS, 1);
    try (TestingLambdaServer lambda =
            TestingLambdaServer.start(
                "icecap-worker", () -> new ApplyFunction(env("fn")), Duration.ofSeconds(60), 1);
        LambdaClient client = lambda.client()) {
      assertThat(invoke(client, "{\"table\": "))
          .containsEntry("functionError", "Unhandled")
          .hasEntrySatisfying(
              "errorMessage", message -> assertThat((String) message).contains("JSON"));
      assertThat(invoke(client, "{\"table\": 5}"))
          .containsEntry("functionError", "Unhandled")
          .containsEntry("errorType", "java.lang.IllegalArgumentException")
          .hasEntrySatisfying(
              "errorMessage",
              message ->
                  assertThat((String) message)
                      .contains("'table' must be a table name such as \"db.items\", got 5"));
      assertThat(invoke(client, "{\"sweep\": \"yes\"}"))
          .hasEntrySatisfying(
              "errorMessage",
              message -> assertThat((String) message).contains("unknown field 'sweep'"));
      assertThat(invoke(client, "{\"table\": \"db.missing\"}"))
          .containsEntry("functionError", "Unhandled")
          .hasEntrySatisfying(
              "errorMessage", message -> assertThat((String) message).contains("db.missing"));
    }
    assertThat(path.catalog.loadTable(ITEMS).currentSnapshot()).isNull();
    assertThat(path.logs.table(ITEMS).state().hasPending()).isTrue();
  }

  @Test
  void aFunctionWithoutItsConfigurationFailsNamingTheVariable() {
    try (TestingLambdaServer lambda =
            TestingLambdaServer.start(
                "icecap-worker",
                () -> new ApplyFunction(env("fn", "ICECAP_WAREHOUSE", "")),
                Duration.ofSeconds(60),
                1);
        LambdaClient client = lambda.client()) {
      assertThat(invoke(client, "{\"table\": \"db.items\"}"))
          .containsEntry("functionError", "Unhandled")
          .containsEntry("errorType", "java.lang.IllegalArgumentException")
          .hasEntrySatisfying(
              "errorMessage",
              message ->
                  assertThat((String) message)
                      .contains("The environment variable ICECAP_WAREHOUSE is not set"));
      assertThat(lambda.invocations()).isZero();
    }
  }
}
