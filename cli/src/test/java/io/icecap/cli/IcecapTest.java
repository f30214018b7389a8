package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IcecapTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Icecap.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: icecap").contains("demo");
  }

  @Test
  void helpListsMaintain() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("maintain TABLE [--compact] [--expire] [--orphans] [--dry-run]");
  }

  @Test
  void maintainOptionsAreChecked() {
    assertThat(run("maintain", "t", "--compact", "--vacuum")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("icecap maintain: unknown option '--vacuum'");
    err.reset();
    // a task option belongs to maintain only
    assertThat(run("tables", "--compact")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--compact'");
  }

  @Test
  void noCommandIsMisuse() {
    assertThat(run()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: icecap");
  }

  @Test
  void unknownCommandIsNamed() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'");
  }

  @Test
  void unknownDemoOptionIsNamed() {
    assertThat(run("demo", "--fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--fast'");
  }

  @Test
  void workerOptionsAreChecked() {
    assertThat(run("worker", "--warehouse=/tmp/w")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing option --uri=...");
    err.reset();
    assertThat(run("worker", "uri")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("write options as --name=value");
    err.reset();
    assertThat(run("worker", "--uri=redis://127.0.0.1:1", "--warehouse=/w", "--threads=x"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--threads must be a whole number of at least 1, got 'x'");
    err.reset();
    assertThat(
            run(
                "worker",
                "--uri=redis://127.0.0.1:1",
                "--warehouse=/w",
                "--checkpoint-delay-ms=-5"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--checkpoint-delay-ms must be a whole number of at least 1, got '-5'");
    err.reset();
    assertThat(run("worker", "--uri=redis://127.0.0.1:1", "--warehouse=/w", "--open-replicas=-1"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--open-replicas must be a whole number of at least 0, got '-1'");
    err.reset();
    assertThat(
            run("worker", "--uri=redis://127.0.0.1:1", "--warehouse=/w", "--partition-threads=0"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--partition-threads must be a whole number of at least 1, got '0'");
  }
}
