package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.TestingLambdaContext;
import io.icecap.testing.TestingS3Server;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.function.ApplyFunction;
import io.icecap.worker.function.FunctionSettings;
import io.icecap.worker.function.LambdaPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The worker function's cold start: its Lambda package unzipped, and each run a fresh JVM (with
 * Lambda's JVM flags) that makes the function and applies a table's pending single-row inserts, as
 * a new Lambda execution environment does. Beside it, the same job in an environment that is
 * already warm (the function made and used once in this JVM). Redis is embedded, the warehouse on
 * S3Proxy over loopback.
 */
final class ColdStartBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "v", Types.StringType.get()));

  /**
   * The settings of a run.
   *
   * @param writes pending single-row inserts each job applies
   * @param repetitions measured runs of each side; the median is reported
   * @param warmups unmeasured runs first
   * @param packageZip the Lambda package, or null to find it in worker-function/target
   * @param work the directory under which the run's own directory is made (and removed)
   * @param json where to write the results as JSON, or null
   */
  record Options(int writes, int repetitions, int warmups, Path packageZip, Path work, Path json) {
    Options {
      if (writes < 1 || repetitions < 1 || warmups < 0) {
        throw new IllegalArgumentException(
            "--writes and --repetitions must be positive, --warmups not negative");
      }
      requireNonNull(work, "work is null");
    }

    static Options parse(List<String> args) {
      int writes = 100;
      int repetitions = 5;
      int warmups = 1;
      Path zip = null;
      Path work = Path.of(System.getProperty("java.io.tmpdir"));
      Path json = null;
      for (Map.Entry<String, String> option : io.icecap.bench.Options.pairs(args)) {
        String name = option.getKey();
        String value = option.getValue();
        switch (name) {
          case "--writes" -> writes = (int) io.icecap.bench.Options.number(name, value);
          case "--repetitions" -> repetitions = (int) io.icecap.bench.Options.number(name, value);
          case "--warmups" -> warmups = (int) io.icecap.bench.Options.number(name, value);
          case "--package" -> zip = Path.of(value);
          case "--work" -> work = Path.of(value);
          case "--json" -> json = Path.of(value);
          default -> throw new IllegalArgumentException("Unknown option " + name);
        }
      }
      return new Options(writes, repetitions, warmups, zip, work, json);
    }
  }

  /** One cold run's times, in milliseconds. */
  record ColdRun(long total, long jvmStart, long init, long invoke) {}

  /** What a run measured. */
  record Result(
      Options options,
      Machine machine,
      Path packageZip,
      long zipBytes,
      long unzippedBytes,
      List<ColdRun> cold,
      List<Long> warmInvoke) {}

  private final Options options;
  private final PrintStream progress;

  ColdStartBenchmark(Options options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path zip = options.packageZip() != null ? options.packageZip() : findPackage();
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    Machine machine;
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      machine = Machine.describe(duckdb);
    }
    try (EmbeddedRedis redis =
            EmbeddedRedis.start(Files.createDirectories(dir.resolve("redis")), false);
        TestingS3Server s3 = TestingS3Server.start()) {
      Path unzipped = Files.createDirectories(dir.resolve("package"));
      long unzippedBytes = LambdaPackage.unzip(zip, unzipped);
      progress.printf(
          "Package %s: %.1f MB zipped, %.1f MB unzipped%n",
          zip, Files.size(zip) / 1e6, unzippedBytes / 1e6);
      String bucket = s3.createBucket("coldstart");
      Map<String, String> properties = new LinkedHashMap<>(s3.fileIoProperties());
      properties.put("uri", redis.uri());
      properties.put("warehouse", "s3://" + bucket + "/warehouse");
      Invoker none =
          new Invoker() {
            @Override
            public void invoke(ApplyRequest request) {}

            @Override
            public void close() {}
          };
      RedisCatalog catalog = new RedisCatalog();
      catalog.initialize("bench", properties);
      catalog.createNamespace(Namespace.of("db"));
      try (TransactionLog logs = TransactionLog.open("bench", properties, "bench");
          Dispatcher dispatcher = new Dispatcher(none, Duration.ZERO);
          Orchestrator orchestrator =
              new Orchestrator(
                  catalog,
                  logs,
                  new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults()),
                  dispatcher)) {
        List<ColdRun> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        int table = 0;
        try (ApplyFunction function = new ApplyFunction(env(properties, dir.resolve("warm")))) {
          for (int run = 0; run < options.warmups() + options.repetitions(); run++) {
            boolean measured = run >= options.warmups();
            TableIdentifier coldTable = fill(catalog, orchestrator, ++table);
            ColdRun coldRun =
                coldRun(unzipped, env(properties, dir.resolve("cold-" + run)), coldTable);
            TableIdentifier warmTable = fill(catalog, orchestrator, ++table);
            long started = System.nanoTime();
            Map<String, Object> answer =
                function.handleRequest(
                    Map.of("table", warmTable.toString()),
                    TestingLambdaContext.withTimeLeft(Duration.ofMinutes(5)));
            long warmMillis = (System.nanoTime() - started) / 1_000_000;
            if (!"DONE".equals(answer.get("end"))) {
              throw new IllegalStateException("The warm job did not finish: " + answer);
            }
            progress.printf(
                "%s run %d: cold %d ms (JVM %d, init %d, invoke %d), warm invoke %d ms%n",
                measured ? "Measured" : "Warm-up",
                run + 1,
                coldRun.total(),
                coldRun.jvmStart(),
                coldRun.init(),
                coldRun.invoke(),
                warmMillis);
            if (measured) {
              cold.add(coldRun);
              warm.add(warmMillis);
            }
          }
        }
        return new Result(options, machine, zip, Files.size(zip), unzippedBytes, cold, warm);
      } finally {
        catalog.close();
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private TableIdentifier fill(RedisCatalog catalog, Orchestrator orchestrator, int number) {
    TableIdentifier table = TableIdentifier.of("db", "t" + number);
    catalog
        .buildTable(table, SCHEMA)
        .withPartitionSpec(PartitionSpec.builderFor(SCHEMA).bucket("id", 4).build())
        .create();
    for (long id = 1; id <= options.writes(); id++) {
      orchestrator.submit(
          table,
          List.of(
              SqlStatement.of(
                  "INSERT INTO " + table.name() + " (id, v) VALUES (?, ?)", id, "v" + id)));
    }
    return table;
  }

  private static Map<String, String> env(Map<String, String> properties, Path workDir) {
    Map<String, String> env =
        new LinkedHashMap<>(FunctionSettings.environment("bench", properties, workDir));
    env.put("ICECAP_CACHE_BYTES", String.valueOf(1L << 30));
    return env;
  }

  private ColdRun coldRun(Path unzipped, Map<String, String> env, TableIdentifier table)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            LambdaPackage.classPath(unzipped),
            "io.icecap.worker.function.InvokeLocal",
            "{\"table\": \"" + table + "\"}");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().keySet().removeIf(name -> name.startsWith("ICECAP_"));
    builder.environment().putAll(env);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    long started = System.nanoTime();
    Process process = builder.start();
    String out;
    try (InputStream stdout = process.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("The cold run of " + table + " did not end in 5 minutes");
    }
    long total = (System.nanoTime() - started) / 1_000_000;
    JsonNode result = JSON.readTree(out.isBlank() ? "{}" : out);
    if (process.exitValue() != 0 || !"DONE".equals(result.path("answer").path("end").asText())) {
      throw new IllegalStateException(
          "The cold run of " + table + " failed (status " + process.exitValue() + "): " + out);
    }
    JsonNode timings = result.path("timings");
    return new ColdRun(
        total,
        timings.path("jvmStart").asLong(),
        timings.path("init").asLong(),
        timings.path("invoke").asLong());
  }

  private static Path findPackage() throws IOException {
    for (Path target :
        List.of(Path.of("worker-function/target"), Path.of("../worker-function/target"))) {
      Optional<Path> zip = LambdaPackage.find(target);
      if (zip.isPresent()) {
        return zip.get();
      }
    }
    throw new IllegalArgumentException(
        "No Lambda package for "
            + LambdaPackage.architecture()
            + " in worker-function/target: build it with ./mvnw -B -q -pl worker-function -am"
            + " package -DskipTests, or give --package");
  }

  /** The run as a table and as JSON. */
  static final class Report implements Bench.Report {
    private final Result result;

    Report(Result result) {
      this.result = requireNonNull(result, "result is null");
    }

    private static long median(List<Long> values) {
      List<Long> sorted = values.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }

    private long cold(java.util.function.ToLongFunction<ColdRun> field) {
      return median(result.cold().stream().map(field::applyAsLong).toList());
    }

    @Override
    public void print(PrintStream out) {
      Machine machine = result.machine();
      out.println("Icecap benchmark: worker function cold start, beside a warm invocation");
      out.printf("machine   %s; Java %s%n", machine.summary(), machine.java());
      out.printf(
          "package   %s: %.1f MB zipped, %.1f MB unzipped (Lambda allows 250 MB unzipped)%n",
          result.packageZip().getFileName(), result.zipBytes() / 1e6, result.unzippedBytes() / 1e6);
      out.printf(
          "settings  each job applies %d pending single-row inserts to a new table of 4"
              + " partitions; %d repetitions (median) after %d warm-up; JVM flags"
              + " -XX:+TieredCompilation -XX:TieredStopAtLevel=1; Redis embedded, warehouse on"
              + " S3Proxy (loopback)%n",
          result.options().writes(), result.options().repetitions(), result.options().warmups());
      out.println();
      out.printf("%-44s | %10s%n", "phase (median)", "ms");
      out.printf("%-44s | %10s%n", "-".repeat(44), "-".repeat(10));
      out.printf("%-44s | %10d%n", "cold: JVM start to main", cold(ColdRun::jvmStart));
      out.printf("%-44s | %10d%n", "cold: making the function (init)", cold(ColdRun::init));
      out.printf("%-44s | %10d%n", "cold: first invocation", cold(ColdRun::invoke));
      out.printf("%-44s | %10d%n", "cold: process start to exit", cold(ColdRun::total));
      out.printf("%-44s | %10d%n", "warm: invocation (baseline)", median(result.warmInvoke()));
      out.println();
      out.printf(
          "Cold first invocation / warm invocation: %.1f×; whole cold process / warm"
              + " invocation: %.1f×%n",
          cold(ColdRun::invoke) / (double) Math.max(1, median(result.warmInvoke())),
          cold(ColdRun::total) / (double) Math.max(1, median(result.warmInvoke())));
    }

    @Override
    public List<Figure> figures() {
      double warm = median(result.warmInvoke());
      return List.of(
          Figure.versus(
              "cold start",
              "first invocation",
              "ms",
              cold(ColdRun::invoke),
              warm,
              "warm invocation"),
          Figure.versus(
              "cold start",
              "process start to exit",
              "ms",
              cold(ColdRun::total),
              warm,
              "warm invocation"),
          Figure.of("cold start", "package unzipped", "MB", result.unzippedBytes() / 1e6)
              .withGoal("<= 250 MB (Lambda's limit)", result.unzippedBytes() <= 250_000_000L));
    }

    @Override
    public void writeJson(Path file) throws IOException {
      try (JsonGenerator json = BenchJson.open(file)) {
        json.writeStartObject();
        json.writeStringField("benchmark", "coldstart");
        json.writeObjectFieldStart("machine");
        BenchJson.machineFields(json, result.machine());
        json.writeEndObject();
        json.writeObjectFieldStart("settings");
        json.writeNumberField("writes", result.options().writes());
        json.writeNumberField("repetitions", result.options().repetitions());
        json.writeNumberField("warmups", result.options().warmups());
        json.writeStringField("package", result.packageZip().toString());
        json.writeNumberField("package_zip_bytes", result.zipBytes());
        json.writeNumberField("package_unzipped_bytes", result.unzippedBytes());
        json.writeEndObject();
        json.writeObjectFieldStart("median_ms");
        json.writeNumberField("cold_jvm_start", cold(ColdRun::jvmStart));
        json.writeNumberField("cold_init", cold(ColdRun::init));
        json.writeNumberField("cold_invoke", cold(ColdRun::invoke));
        json.writeNumberField("cold_total", cold(ColdRun::total));
        json.writeNumberField("warm_invoke", median(result.warmInvoke()));
        json.writeEndObject();
        json.writeEndObject();
      }
    }
  }
}
