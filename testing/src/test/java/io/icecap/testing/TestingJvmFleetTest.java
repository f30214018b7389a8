package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs of {@link EchoJvm}: start, output, signals, stop, and the failures they report. */
class TestingJvmFleetTest {
  private static TestingJvmFleet.Builder echo(String... arguments) {
    return TestingJvmFleet.builder(EchoJvm.class.getName())
        .arguments(id -> Stream.concat(Stream.of(id), Stream.of(arguments)).toList())
        .readyLine(id -> id + " ready");
  }

  @Test
  void startsEachProcessWithItsOwnArgumentsAndKillsThemOneByOne() {
    TestingJvmFleet fleet = echo("ready", "0").start(List.of("a", "b"));
    try {
      assertThat(fleet.size()).isEqualTo(2);
      assertThat(fleet.ids()).containsExactly("a", "b");
      assertThat(fleet.id(1)).isEqualTo("b");
      assertThat(fleet.pid(0)).isNotEqualTo(fleet.pid(1)).isPositive();
      assertThat(fleet.output(1)).contains("b says b ready 0").contains("b ready");
      assertThat(fleet.exited()).isEmpty();

      fleet.suspend(0);
      fleet.resume(0);
      assertThat(fleet.isAlive(0)).isTrue();

      assertThat(fleet.kill(0)).isEqualTo(137);
      assertThat(fleet.isAlive(0)).isFalse();
      assertThat(fleet.isAlive(1)).isTrue();
      assertThat(fleet.kill(0)).as("an exited process's exit value").isEqualTo(137);
      assertThatThrownBy(() -> fleet.suspend(0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot send SIGSTOP to child JVM a: it has exited");
      assertThat(fleet.exited()).singleElement().asString().startsWith("a (exit 137):");
      assertThatThrownBy(() -> fleet.id(2))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessage("No process 2 in a fleet of 2");
    } finally {
      fleet.close();
    }
    assertThat(fleet.isAlive(1)).isFalse();
    assertThat(fleet.exited()).hasSize(2).last().asString().startsWith("b (exit 137):");
    fleet.close();
  }

  @Test
  void closingWithAGracePeriodStopsWithSigterm() {
    TestingJvmFleet fleet =
        echo("ready", "0").stopGrace(Duration.ofSeconds(30)).start(List.of("gentle"));
    fleet.close();
    assertThat(fleet.exited()).singleElement().asString().startsWith("gentle (exit 143):");
  }

  @Test
  void keepsTheLastLinesAndFindsALinePrintedBeforeItIsAwaited() {
    try (TestingJvmFleet fleet = echo("ready", "20").keptLines(3).start(List.of("chatty"))) {
      fleet.awaitLine(0, "chatty line 20", Duration.ofMinutes(1));
      assertThat(fleet.output(0))
          .isEqualTo(
              "[19 earlier lines left out]\nchatty line 18\nchatty line 19\nchatty line 20\n");
    }
  }

  @Test
  void aProcessThatExitsBeforeItIsReadyFailsTheStartWithWhatItPrinted() {
    assertThatThrownBy(() -> echo("exit", "3").start(List.of("quitter")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Child JVM quitter exited with code 3 before it could become ready")
        .hasMessageContaining("quitter says quitter exit 3");
  }

  @Test
  void aProcessNotReadyInTimeFailsTheStartWithWhatItPrinted() {
    assertThatThrownBy(
            () -> echo("silent").readyTimeout(Duration.ofSeconds(1)).start(List.of("mute")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Child JVM mute did not become ready within the time allowed")
        .hasMessageContaining("mute says mute silent");
  }

  @Test
  void rejectsMalformedSettingsSayingWhatToDo() {
    assertThatThrownBy(() -> echo().start(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A fleet needs one or more distinct ids, got []");
    assertThatThrownBy(() -> echo().start(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A fleet needs one or more distinct ids, got [a, a]");
    assertThatThrownBy(() -> TestingJvmFleet.builder("x.Main").start(List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Say which line shows a process of x.Main ready: call readyLine(...)");
    assertThatThrownBy(() -> TestingJvmFleet.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The main class of a fleet's processes is blank");
    assertThatThrownBy(() -> echo().readyTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readyTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> echo().stopGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopGrace must be zero or more, got PT-1S");
    assertThatThrownBy(() -> echo().keptLines(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keptLines must be 1 or more, got 0");
  }

  @Test
  void theClassPathOfAClassIsItsUrlClassLoadersUrls(@TempDir Path dir) throws Exception {
    assertThat(TestingJvmFleet.classPathOf(EchoJvm.class))
        .isEqualTo(System.getProperty("java.class.path"));

    String file = EchoJvm.class.getName().replace('.', '/') + ".class";
    Path copy = dir.resolve("classes").resolve(file);
    Files.createDirectories(copy.getParent());
    try (var in = EchoJvm.class.getClassLoader().getResourceAsStream(file)) {
      Files.copy(in, copy);
    }
    Path other = dir.resolve("other.jar");
    URL[] urls = {dir.resolve("classes").toUri().toURL(), other.toUri().toURL()};
    try (URLClassLoader loader = new URLClassLoader(urls, null)) {
      Class<?> loaded = loader.loadClass(EchoJvm.class.getName());
      assertThat(TestingJvmFleet.classPathOf(loaded))
          .isEqualTo(dir.resolve("classes") + File.pathSeparator + other);
    }
  }
}
