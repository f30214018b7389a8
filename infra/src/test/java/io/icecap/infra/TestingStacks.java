package io.icecap.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes {@link IcecapStack}s offline, with a stand-in for the worker-function zip. */
final class TestingStacks {

  private TestingStacks() {}

  /** A synthesized stack and its template. */
  record Synthesized(IcecapStack stack, Template template) {}

  /** A small zip standing in for the worker-function build's Lambda zip. */
  static Path dummyCode(Path dir) {
    Path zip = dir.resolve("icecap-worker-function-lambda.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream zipOut = new ZipOutputStream(out)) {
      zipOut.putNextEntry(new ZipEntry("io/icecap/worker/function/README.txt"));
      zipOut.write("stand-in for the worker function".getBytes(StandardCharsets.UTF_8));
      zipOut.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip;
  }

  /** Synthesizes the stack named Icecap into {@code dir}, as {@code cdk synth} would. */
  static Synthesized synthesize(Path dir, IcecapStackProps props) {
    try {
      Path outdir = Files.createTempDirectory(dir, "cdk.out");
      App app = App.Builder.create().outdir(outdir.toString()).build();
      IcecapStack stack = new IcecapStack(app, "Icecap", StackProps.builder().build(), props);
      return new Synthesized(stack, Template.fromStack(stack));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
