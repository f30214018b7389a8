package io.icecap.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A Lambda {@link Context} as the Java runtime gives a handler: a request id, the function's name,
 * memory and time left until the invocation's deadline, and a logger to standard error.
 */
public final class TestingLambdaContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final String functionName;
  private final int memoryMb;
  private final long deadlineNanos;

  /**
   * A context whose deadline is {@code timeLeft} from now.
   *
   * @param functionName the function's name
   * @param memoryMb the function's memory
   * @param timeLeft the time until the invocation's deadline
   */
  public TestingLambdaContext(String functionName, int memoryMb, Duration timeLeft) {
    this.functionName = functionName;
    this.memoryMb = memoryMb;
    this.deadlineNanos = System.nanoTime() + timeLeft.toNanos();
  }

  /** A context for a function {@code icecap-worker} of 4 GiB with {@code timeLeft} to go. */
  public static TestingLambdaContext withTimeLeft(Duration timeLeft) {
    return new TestingLambdaContext("icecap-worker", 4096, timeLeft);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/" + requestId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
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
    return memoryMb;
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
        log(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
