package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One headline figure of a run, as the summary table of {@code Bench all} shows it: a measure of
 * one scenario, Icecap's value beside its baseline's in the same unit, and the goal it is held to.
 *
 * @param scenario the scenario, e.g. {@code "1 write ack"}
 * @param measure what was measured, e.g. {@code "INSERT p99"}
 * @param unit the unit of both values, e.g. {@code "ms"} or {@code "rows/s"}
 * @param icecap Icecap's value
 * @param baseline the baseline's value, measured in the same run, if the measure has one
 * @param baselineName what the baseline is, e.g. {@code "Iceberg commit per write"}; empty when
 *     there is none
 * @param goal the goal in words, e.g. {@code "<= 5 ms"}; empty when none applies
 * @param met whether the goal is met; empty when there is no goal
 */
public record Figure(
    String scenario,
    String measure,
    String unit,
    double icecap,
    OptionalDouble baseline,
    String baselineName,
    String goal,
    Optional<Boolean> met) {

  public Figure {
    requireNonNull(scenario, "scenario is null");
    requireNonNull(measure, "measure is null");
    requireNonNull(unit, "unit is null");
    requireNonNull(baseline, "baseline is null");
    requireNonNull(baselineName, "baselineName is null");
    requireNonNull(goal, "goal is null");
    requireNonNull(met, "met is null");
    if (goal.isEmpty() != met.isEmpty()) {
      throw new IllegalArgumentException(
          "A figure has a goal and whether it is met, or neither: " + measure);
    }
  }

  /** A figure with no baseline and no goal. */
  public static Figure of(String scenario, String measure, String unit, double icecap) {
    return new Figure(
        scenario, measure, unit, icecap, OptionalDouble.empty(), "", "", Optional.empty());
  }

  /** A figure beside its baseline, with no goal. */
  public static Figure versus(
      String scenario,
      String measure,
      String unit,
      double icecap,
      double baseline,
      String baselineName) {
    return new Figure(
        scenario,
        measure,
        unit,
        icecap,
        OptionalDouble.of(baseline),
        baselineName,
        "",
        Optional.empty());
  }

  /** This figure held to a goal. */
  public Figure withGoal(String goal, boolean met) {
    return new Figure(
        scenario, measure, unit, icecap, baseline, baselineName, goal, Optional.of(met));
  }

  /** Icecap's value over the baseline's; empty without a baseline or when it is zero. */
  public OptionalDouble ratio() {
    return baseline.isPresent() && baseline.getAsDouble() != 0
        ? OptionalDouble.of(icecap / baseline.getAsDouble())
        : OptionalDouble.empty();
  }
}
