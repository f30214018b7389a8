package io.icecap.worker.function;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one invocation of the worker function in this JVM, as Lambda would in a new execution
 * environment: the function is made from the environment variables ({@link FunctionSettings}), then
 * handles the event given as the first argument. Prints one JSON object on standard output: {@code
 * answer} (or {@code error}), and {@code timings} in milliseconds: {@code jvmStart} (from the JVM's
 * start to this main), {@code init} (making the function) and {@code invoke}.
 *
 * <p>Usage: {@code java -cp 'PACKAGE:PACKAGE/lib/*' io.icecap.worker.function.InvokeLocal
 * [--timeout-ms=N] '{"table": "db.items"}'} where PACKAGE is the unzipped Lambda package. Exit
 * status: 0 when the function answered, 1 when it failed, 2 for bad arguments.
 */
public final class InvokeLocal {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InvokeLocal() {}

  /** Runs one invocation. */
  public static void main(String[] args) throws IOException {
    long mainStarted = System.currentTimeMillis();
    long jvmStart = mainStarted - ManagementFactory.getRuntimeMXBean().getStartTime();
    long timeoutMs = 300_000;
    String event = null;
    for (String arg : args) {
      if (arg.startsWith("--timeout-ms=")) {
        try {
          timeoutMs = Long.parseLong(arg.substring("--timeout-ms=".length()));
        } catch (NumberFormatException e) {
          usage("--timeout-ms must be a whole number of milliseconds, got '" + arg + "'");
        }
      } else if (event == null && !arg.startsWith("--")) {
        event = arg;
      } else {
        usage("Unexpected argument '" + arg + "'");
      }
    }
    if (event == null) {
      usage("Give the event as JSON, such as '{\"table\": \"db.items\"}'");
    }
    Map<String, Object> parsed;
    try {
      parsed = JSON.readValue(event, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      usage("The event is not a JSON object: " + e.getMessage());
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    ObjectNode timings = out.putObject("timings");
    timings.put("jvmStart", jvmStart);
    int status = 0;
    long initStarted = System.nanoTime();
    try (ApplyFunction function = new ApplyFunction()) {
      timings.put("init", (System.nanoTime() - initStarted) / 1_000_000);
      long invokeStarted = System.nanoTime();
      try {
        Map<String, Object> answer = function.handleRequest(parsed, new LocalContext(timeoutMs));
        out.set("answer", JSON.valueToTree(answer));
      } catch (RuntimeException e) {
        out.put("error", e.getClass().getName() + ": " + e.getMessage());
        status = 1;
      }
      timings.put("invoke", (System.nanoTime() - invokeStarted) / 1_000_000);
    } catch (RuntimeException e) {
      out.put("error", e.getClass().getName() + ": " + e.getMessage());
      status = 1;
    }
    System.out.println(out);
    System.out.flush();
    System.exit(status);
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "Usage: java -cp 'PACKAGE:PACKAGE/lib/*' io.icecap.worker.function.InvokeLocal"
            + " [--timeout-ms=N] EVENT_JSON (configuration from ICECAP_* environment variables)");
    System.exit(2);
  }

  /** The context of a local invocation: a deadline, and a logger to standard error. */
  private static final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;

    LocalContext(long timeoutMs) {
      this.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
    }

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "icecap-worker");
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "local:" + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
      return (int) (Runtime.getRuntime().maxMemory() >> 20);
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.write(message, 0, message.length);
        }
      };
    }
  }
}
