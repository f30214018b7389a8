package io.icecap.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Figures as one table for people, as JSON objects, and as an HTML page with a bar chart. */
final class FigureTable {
  private static final String ROW = "%-12s | %-36s | %15s | %15s | %9s | %-28s | %s%n";

  private FigureTable() {}

  /** Prints the figures as a table, one line each. */
  static void print(List<Figure> figures, PrintStream out) {
    out.printf(ROW, "scenario", "measure", "Icecap", "baseline", "ratio", "baseline is", "goal");
    out.printf(
        ROW,
        "-".repeat(12),
        "-".repeat(36),
        "-".repeat(15),
        "-".repeat(15),
        "-".repeat(9),
        "-".repeat(28),
        "-".repeat(4));
    for (Figure figure : figures) {
      out.printf(
          ROW,
          figure.scenario(),
          figure.measure(),
          value(figure.icecap(), figure.unit()),
          figure.baseline().isPresent()
              ? value(figure.baseline().getAsDouble(), figure.unit())
              : "",
          ratio(figure.ratio()),
          figure.baselineName(),
          goal(figure));
    }
  }

  /** A value with its unit, with as many digits as it needs. */
  static String value(double value, String unit) {
    if (Double.isNaN(value)) {
      return "none";
    }
    double magnitude = Math.abs(value);
    String number =
        magnitude >= 1_000
            ? String.format(Locale.ROOT, "%,.0f", value)
            : magnitude >= 10
                ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.3f", value);
    return number + " " + unit;
  }

  /**
   * A ratio as {@code 1.05x}, or {@code 1/78x} when Icecap's value is below half the baseline's.
   */
  static String ratio(OptionalDouble ratio) {
    if (ratio.isEmpty() || Double.isNaN(ratio.getAsDouble())) {
      return "";
    }
    double r = ratio.getAsDouble();
    return r < 0.5
        ? String.format(Locale.ROOT, "1/%.0fx", 1 / r)
        : String.format(Locale.ROOT, "%.2fx", r);
  }

  private static String goal(Figure figure) {
    return figure.met().isEmpty()
        ? ""
        : (figure.met().get() ? "met: " : "NOT met: ") + figure.goal();
  }

  /** Writes one figure as a JSON object. */
  static void writeJson(JsonGenerator json, Figure figure) throws IOException {
    json.writeStartObject();
    json.writeStringField("scenario", figure.scenario());
    json.writeStringField("measure", figure.measure());
    json.writeStringField("unit", figure.unit());
    number(json, "icecap", figure.icecap());
    if (figure.baseline().isPresent()) {
      number(json, "baseline", figure.baseline().getAsDouble());
      json.writeStringField("baseline_name", figure.baselineName());
    }
    if (figure.ratio().isPresent()) {
      number(json, "ratio", figure.ratio().getAsDouble());
    }
    if (figure.met().isPresent()) {
      json.writeStringField("goal", figure.goal());
      json.writeBooleanField("goal_met", figure.met().get());
    }
    json.writeEndObject();
  }

  private static void number(JsonGenerator json, String name, double value) throws IOException {
    if (Double.isFinite(value)) {
      json.writeNumberField(name, value);
    } else {
      json.writeNullField(name);
    }
  }

  /**
   * Writes the summary as one self-contained HTML page: the machine and settings, and per figure a
   * bar for Icecap beside one for its baseline, scaled to the larger of the two.
   */
  static void writeHtml(AllBenchmarks.AllReport report, Path file) throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape(report.title()))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}\n")
        .append("table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left;")
        .append("border-bottom:1px solid #ddd;vertical-align:middle}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n")
        .append(".bar{height:9px;margin:2px 0}.i{background:#1f77b4}.b{background:#aaa}\n")
        .append(".met{color:#2a7d2a}.miss{color:#b22222}\n</style></head><body>\n<h1>")
        .append(escape(report.title()))
        .append("</h1>\n<p>")
        .append(escape(report.machineLine()))
        .append("</p>\n<ul>\n");
    for (AllBenchmarks.Outcome outcome : report.outcomes()) {
      html.append("<li><b>")
          .append(escape(outcome.name()))
          .append("</b> ")
          .append(escape(String.join(" ", outcome.arguments())))
          .append(
              outcome.failure() == null
                  ? ""
                  : " <span class=\"miss\">FAILED: " + escape(outcome.failure()) + "</span>")
          .append("</li>\n");
    }
    html.append("</ul>\n<p>Bars: <span style=\"color:#1f77b4\">&#9632; Icecap</span>")
        .append(" <span style=\"color:#888\">&#9632; baseline</span>, each pair scaled to its")
        .append(" larger value. Ratio = Icecap / baseline, both measured in this run.</p>\n")
        .append("<table>\n<tr><th>scenario</th><th>measure</th><th>Icecap</th><th>baseline</th>")
        .append("<th>ratio</th><th></th><th>baseline is</th><th>goal</th></tr>\n");
    for (Figure figure : report.figures()) {
      double baseline = figure.baseline().orElse(Double.NaN);
      double scale = Math.max(figure.icecap(), Double.isNaN(baseline) ? 0 : baseline);
      html.append("<tr><td>")
          .append(escape(figure.scenario()))
          .append("</td><td>")
          .append(escape(figure.measure()))
          .append("</td><td class=\"n\">")
          .append(escape(value(figure.icecap(), figure.unit())))
          .append("</td><td class=\"n\">")
          .append(figure.baseline().isPresent() ? escape(value(baseline, figure.unit())) : "")
          .append("</td><td class=\"n\">")
          .append(escape(ratio(figure.ratio())))
          .append("</td><td style=\"width:220px\">")
          .append(bar("i", figure.icecap(), scale))
          .append(figure.baseline().isPresent() ? bar("b", baseline, scale) : "")
          .append("</td><td>")
          .append(escape(figure.baselineName()))
          .append("</td><td>");
      if (figure.met().isPresent()) {
        html.append(figure.met().get() ? "<span class=\"met\">met" : "<span class=\"miss\">not met")
            .append("</span>: ")
            .append(escape(figure.goal()));
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n</body></html>\n");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  private static String bar(String kind, double value, double scale) {
    double width = scale > 0 && Double.isFinite(value) ? Math.max(0.5, 100 * value / scale) : 0;
    return String.format(
        Locale.ROOT, "<div class=\"bar %s\" style=\"width:%.1f%%\"></div>", kind, width);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
