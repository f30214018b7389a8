package io.icecap.infra;

import java.util.Arrays;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.lambda.Architecture;

/** The instruction set the worker function runs on; the worker-function build makes a zip each. */
public enum WorkerArchitecture {
  X86_64("x86_64", Architecture.X86_64),
  ARM64("arm64", Architecture.ARM_64);

  private final String contextName;
  private final Architecture lambda;

  WorkerArchitecture(String contextName, Architecture lambda) {
    this.contextName = contextName;
    this.lambda = lambda;
  }

  /** The name used in CDK context, props and the zip's file name, such as {@code arm64}. */
  public String contextName() {
    return contextName;
  }

  Architecture lambda() {
    return lambda;
  }

  /** Parses a context value such as {@code arm64}, naming the accepted values on failure. */
  public static WorkerArchitecture parse(String value) {
    for (WorkerArchitecture architecture : values()) {
      if (architecture.contextName.equals(value)) {
        return architecture;
      }
    }
    throw new IllegalArgumentException(
        String.format("Unknown architecture '%s': use one of %s", value, accepted()));
  }

  static String accepted() {
    return Arrays.stream(values())
        .map(WorkerArchitecture::contextName)
        .collect(Collectors.joining(", "));
  }
}
