package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code Bench all}: every benchmark at one size, one after another in one JVM, then one table of
 * their headline figures ({@link Figure}), the machine and every benchmark's settings. A benchmark
 * that fails does not stop the others; the run then ends with status 1.
 */
final class AllBenchmarks implements BenchmarkCommand {
  static final List<String> OPTION_LINES =
      List.of(
          "  --size S          smoke (about a minute, keeps the benchmarks working) or full"
              + " (the sizes the targets are stated for; default)",
          "  --only A/B        run only these benchmarks, e.g. write/query (default: all)",
          "  --html FILE       also write the table as an HTML page with a bar chart");

  private final List<BenchmarkCommand> commands;

  AllBenchmarks(List<BenchmarkCommand> commands) {
    this.commands = List.copyOf(commands);
  }

  @Override
  public String name() {
    return "all";
  }

  @Override
  public String summary() {
    return "every benchmark at one size, and one table of them all";
  }

  @Override
  public List<String> optionLines() {
    return OPTION_LINES;
  }

  @Override
  public List<String> options(Size size) {
    return List.of("--size", size.name().toLowerCase(Locale.ROOT));
  }

  /** The parsed options of {@code all}. */
  record Settings(
      Size size, List<BenchmarkCommand> commands, long seed, Path work, Path json, Path html) {}

  @Override
  public Prepared parse(List<String> arguments) {
    Size size = Size.FULL;
    Set<String> only = new LinkedHashSet<>();
    long seed = 42;
    Path work = Path.of(System.getProperty("java.io.tmpdir"));
    Path json = null;
    Path html = null;
    for (Map.Entry<String, String> option : Options.pairs(arguments)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--size" -> size = size(value);
        case "--only" -> only.addAll(List.of(value.split("/", -1)));
        case "--seed" -> seed = Options.number(name, value);
        case "--work" -> work = Path.of(value);
        case "--json" -> json = Path.of(value);
        case "--html" -> html = Path.of(value);
        default ->
            throw new IllegalArgumentException(
                "Unknown option "
                    + name
                    + " of all; it takes --size, --only, --seed, --work, --json"
                    + " and --html");
      }
    }
    List<String> known = commands.stream().map(BenchmarkCommand::name).toList();
    for (String name : only) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "--only names '" + name + "', which is not a benchmark; the benchmarks are " + known);
      }
    }
    List<BenchmarkCommand> chosen =
        commands.stream().filter(c -> only.isEmpty() || only.contains(c.name())).toList();
    Settings settings = new Settings(size, chosen, seed, work, json, html);
    List<List<String>> argumentLists = chosen.stream().map(c -> arguments(c, settings)).toList();
    for (int i = 0; i < chosen.size(); i++) {
      // Refuses a benchmark's size options before anything runs.
      chosen.get(i).parse(argumentLists.get(i));
    }
    return new Prepared() {
      @Override
      public Bench.Report run(PrintStream progress) throws Exception {
        return AllBenchmarks.run(settings, argumentLists, progress);
      }

      @Override
      public Path json() {
        return settings.json();
      }
    };
  }

  private static Size size(String value) {
    for (Size size : Size.values()) {
      if (size.name().equalsIgnoreCase(value)) {
        return size;
      }
    }
    throw new IllegalArgumentException("--size must be smoke or full, got '" + value + "'");
  }

  /** The arguments a benchmark runs with: its size's options, the work directory and the seed. */
  private static List<String> arguments(BenchmarkCommand command, Settings settings) {
    List<String> arguments = new ArrayList<>(command.options(settings.size()));
    arguments.addAll(List.of("--work", settings.work().toString()));
    if (command.seeded()) {
      arguments.addAll(List.of("--seed", String.valueOf(settings.seed())));
    }
    return arguments;
  }

  /** One benchmark's outcome: its report, or why it failed. */
  record Outcome(
      String name, List<String> arguments, Bench.Report report, String failure, long nanos) {}

  private static AllReport run(
      Settings settings, List<List<String>> argumentLists, PrintStream progress) throws Exception {
    Machine machine;
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      machine = Machine.describe(duckdb);
    }
    Instant started = Instant.now();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < settings.commands().size(); i++) {
      BenchmarkCommand command = settings.commands().get(i);
      List<String> arguments = argumentLists.get(i);
      progress.printf("=== %s %s%n", command.name(), String.join(" ", arguments));
      long start = System.nanoTime();
      Bench.Report report = null;
      String failure = null;
      try {
        report = command.parse(arguments).run(progress);
        report.print(progress);
        if (report.figures().isEmpty()) {
          failure = "it reported no figure";
        }
      } catch (Exception | AssertionError e) {
        failure = e.toString();
        progress.printf("The %s benchmark failed: %s%n", command.name(), e);
        e.printStackTrace(progress);
      }
      outcomes.add(
          new Outcome(command.name(), arguments, report, failure, System.nanoTime() - start));
    }
    AllReport report =
        new AllReport(
            settings, machine, started, Duration.between(started, Instant.now()), outcomes);
    if (settings.html() != null) {
      FigureTable.writeHtml(report, settings.html());
      progress.printf("Wrote %s%n", settings.html());
    }
    return report;
  }

  /** The summary of a run of {@code all}: one table, JSON with every benchmark's own, and HTML. */
  static final class AllReport implements Bench.Report {
    private final Settings settings;
    private final Machine machine;
    private final Instant started;
    private final Duration took;
    private final List<Outcome> outcomes;

    AllReport(
        Settings settings,
        Machine machine,
        Instant started,
        Duration took,
        List<Outcome> outcomes) {
      this.settings = requireNonNull(settings, "settings is null");
      this.machine = requireNonNull(machine, "machine is null");
      this.started = requireNonNull(started, "started is null");
      this.took = requireNonNull(took, "took is null");
      this.outcomes = List.copyOf(outcomes);
    }

    List<Outcome> outcomes() {
      return outcomes;
    }

    @Override
    public List<Figure> figures() {
      return outcomes.stream()
          .filter(o -> o.report() != null)
          .flatMap(o -> o.report().figures().stream())
          .toList();
    }

    @Override
    public List<String> failures() {
      return outcomes.stream()
          .filter(o -> o.failure() != null)
          .map(o -> o.name() + ": " + o.failure())
          .toList();
    }

    @Override
    public void print(PrintStream out) {
      out.printf(
          "Icecap benchmarks, %s size, seed %d, %s, took %d s%n",
          settings.size().name().toLowerCase(Locale.ROOT),
          settings.seed(),
          started,
          took.toSeconds());
      out.printf("machine   %s%n", machine.summary());
      out.printf(
          "software  Java %s; DuckDB %s, %d threads%n",
          machine.java(), machine.duckdb(), machine.duckdbThreads());
      for (Outcome outcome : outcomes) {
        out.printf(
            "settings  %-12s %s%n",
            outcome.name(),
            outcome.arguments().isEmpty() ? "(defaults)" : String.join(" ", outcome.arguments()));
      }
      out.println();
      FigureTable.print(figures(), out);
      long met = figures().stream().filter(f -> f.met().orElse(false)).count();
      long goals = figures().stream().filter(f -> f.met().isPresent()).count();
      out.println();
      out.printf(
          "ratio = Icecap / baseline, both measured in this run (below 1: Icecap lower)."
              + " Goals met: %d of %d.%n",
          met, goals);
      if (settings.size() == Size.SMOKE) {
        out.println(
            "Smoke size: these figures only show that every benchmark works; the goals are"
                + " stated for the full size.");
      }
      out.printf(
          "took      %s%n",
          String.join(
              ", ",
              outcomes.stream()
                  .map(o -> String.format("%s %.0f s", o.name(), o.nanos() / 1e9))
                  .toList()));
      for (String failure : failures()) {
        out.printf("FAILED    %s%n", failure);
      }
    }

    @Override
    public void writeJson(Path file) throws IOException {
      Path details = Files.createTempDirectory(WorkFiles.create(settings.work()), "icecap-json-");
      try (JsonGenerator json = BenchJson.open(file)) {
        json.writeStartObject();
        json.writeStringField("benchmark", "all");
        json.writeStringField("size", settings.size().name().toLowerCase(Locale.ROOT));
        json.writeNumberField("seed", settings.seed());
        json.writeStringField("started", started.toString());
        json.writeNumberField("seconds", took.toMillis() / 1e3);
        json.writeObjectFieldStart("machine");
        BenchJson.machineFields(json, machine);
        json.writeEndObject();
        json.writeArrayFieldStart("figures");
        for (Figure figure : figures()) {
          FigureTable.writeJson(json, figure);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("benchmarks");
        for (Outcome outcome : outcomes) {
          json.writeStartObject();
          json.writeStringField("name", outcome.name());
          json.writeArrayFieldStart("arguments");
          for (String argument : outcome.arguments()) {
            json.writeString(argument);
          }
          json.writeEndArray();
          json.writeNumberField("seconds", outcome.nanos() / 1e9);
          if (outcome.failure() != null) {
            json.writeStringField("failure", outcome.failure());
          } else {
            Path own = details.resolve(outcome.name() + ".json");
            outcome.report().writeJson(own);
            json.writeFieldName("result");
            try (JsonParser parser = new JsonFactory().createParser(own.toFile())) {
              parser.nextToken();
              json.copyCurrentStructure(parser);
            }
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      } finally {
        WorkFiles.deleteTree(details);
      }
    }

    /** The title line of the HTML page. */
    String title() {
      return String.format(
          "Icecap benchmarks, %s size, seed %d, %s",
          settings.size().name().toLowerCase(Locale.ROOT), settings.seed(), started);
    }

    /** The machine line of the HTML page. */
    String machineLine() {
      return String.format(
          "%s; Java %s; DuckDB %s", machine.summary(), machine.java(), machine.duckdb());
    }
  }
}
