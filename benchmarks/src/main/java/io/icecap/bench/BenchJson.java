package io.icecap.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON output every benchmark writes: the file, and the machine it ran on. */
final class BenchJson {
  private BenchJson() {}

  /** Opens {@code file} for a pretty-printed JSON document, creating its directory. */
  static JsonGenerator open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8);
    json.useDefaultPrettyPrinter();
    return json;
  }

  /** Writes the machine's fields into the current object (cores, CPU, memory, OS, Java, DuckDB). */
  static void machineFields(JsonGenerator json, Machine machine) throws IOException {
    json.writeNumberField("cores", machine.cores());
    json.writeStringField("cpu", machine.cpu());
    json.writeNumberField("memory_bytes", machine.memoryBytes());
    json.writeStringField("os", machine.os());
    json.writeStringField("java", machine.java());
    json.writeStringField("duckdb", machine.duckdb());
  }

  /** Writes {@code name: {median_nanos, nanos: [...]}}: one side's measured times. */
  static void nanos(JsonGenerator json, String name, long[] nanos) throws IOException {
    json.writeObjectFieldStart(name);
    json.writeNumberField("median_nanos", QueryBenchmark.Figures.median(nanos));
    json.writeArrayFieldStart("nanos");
    for (long value : nanos) {
      json.writeNumber(value);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
