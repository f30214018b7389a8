package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.worker.function.LambdaPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda package this module builds, unzipped and run in a fresh JVM with Lambda's JVM flags,
 * as Lambda runs it: it holds what the function needs and nothing for other platforms, fits
 * Lambda's 250 MB limit, and applies a table's log against real Redis and a real S3-API warehouse.
 */
class LambdaPackageIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1000 * 1000;
  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /** The package for this machine's architecture, as {@code mvn package} left it in target. */
  static Path packageZip() throws IOException {
    return LambdaPackage.find(Path.of("target"))
        .orElseThrow(
            () ->
                new AssertionError(
                    "No Lambda package for "
                        + LambdaPackage.architecture()
                        + " in target: run mvn package first"));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private record Run(int status, String out, String err) {}

  private Run invoke(Path unzipped, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+TieredCompilation");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(LambdaPackage.classPath(unzipped));
    command.add("io.icecap.worker.function.InvokeLocal");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("ICECAP_"));
    env.putAll(path.functionEnv(work.resolve("function")));
    Process process = builder.start();
    try (InputStream out = process.getInputStream();
        InputStream err = process.getErrorStream()) {
      byte[][] errBytes = new byte[1][];
      Thread errReader =
          new Thread(
              () -> {
                try {
                  errBytes[0] = err.readAllBytes();
                } catch (IOException e) {
                  errBytes[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                }
              });
      errReader.start();
      String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      errReader.join();
      return new Run(process.exitValue(), stdout, new String(errBytes[0], StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void thePackageRunsTheFunctionInAFreshJvm() throws Exception {
    Path zip = packageZip();
    Path unzipped = Files.createDirectories(work.resolve("package"));
    long bytes = LambdaPackage.unzip(zip, unzipped);
    assertThat(bytes).isLessThan(LAMBDA_UNZIPPED_LIMIT);
    String ownLibrary =
        System.getProperty("os.arch").equals("aarch64")
            ? "libduckdb_java.so_linux_arm64"
            : "libduckdb_java.so_linux_amd64";
    assertThat(names(unzipped).stream().filter(name -> name.startsWith("libduckdb")))
        .containsExactly(ownLibrary);
    List<String> jars = names(unzipped.resolve("lib"));
    assertThat(jars)
        .anyMatch(jar -> jar.startsWith("icecap-worker-function-"))
        .anyMatch(jar -> jar.startsWith("aws-lambda-java-core-"))
        .anyMatch(jar -> jar.startsWith("slf4j-simple-"))
        .noneMatch(jar -> jar.startsWith("duckdb_jdbc"))
        .noneMatch(jar -> jar.startsWith("lambda-"));

    for (long id = 1; id <= 10; id++) {
      path.insert(ITEMS, id);
    }
    Run run = invoke(unzipped, "{\"table\": \"db.items\", \"upToSequence\": 10}");
    assertThat(run.status()).as(run.err()).isZero();
    JsonNode out = JSON.readTree(run.out());
    assertThat(out.path("answer").path("end").asText()).as(run.out()).isEqualTo("DONE");
    assertThat(out.path("answer").path("checkpoints").asInt()).isEqualTo(1);
    assertThat(out.path("timings").path("init").isIntegralNumber()).isTrue();
    assertThat(out.path("timings").path("invoke").isIntegralNumber()).isTrue();
    assertThat(path.rows(ITEMS)).isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 10)));

    Run bad = invoke(unzipped, "{\"table\": ");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("The event is not a JSON object");
    Run failing = invoke(unzipped, "{\"table\": \"db.missing\"}");
    assertThat(failing.status()).isEqualTo(1);
    assertThat(JSON.readTree(failing.out()).path("error").asText()).contains("db.missing");
  }
}
