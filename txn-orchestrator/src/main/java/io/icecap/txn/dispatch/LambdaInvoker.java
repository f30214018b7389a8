package io.icecap.txn.dispatch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Runs apply jobs as invocations of Icecap's worker function on AWS Lambda. One invocation per
 * table runs at a time; requests that arrive while it runs make it run once more when it ends, and
 * so does an invocation that ran out of time with records still pending. Invocations wait for the
 * function's answer ({@code RequestResponse}) on a pool of threads, so a failed one is logged here;
 * its records stay in the log for the next request or a sweep.
 *
 * <p>The function takes {@code {"table": "db.items", "upToSequence": 42}} and answers {@code
 * {"table": "db.items", "end": "DONE" | "BUSY" | "OUT_OF_TIME", "checkpoints": 1, "pending":
 * false}}.
 */
public final class LambdaInvoker implements Invoker {
  /** The catalog property naming the worker function; setting it sends apply jobs to Lambda. */
  public static final String FUNCTION = "lambda.function";

  /** The catalog property naming the function's region (default: the AWS default). */
  public static final String REGION = "lambda.region";

  /** The catalog property giving another Lambda endpoint than AWS's (LocalStack). */
  public static final String ENDPOINT = "lambda.endpoint";

  /** The catalog property bounding the invocations under way at once (default 16). */
  public static final String CONCURRENCY = "lambda.concurrency";

  /** The catalog property with an access key id (with the secret key; default: AWS's chain). */
  public static final String ACCESS_KEY_ID = "lambda.access-key-id";

  /** The catalog property with the secret access key that goes with the access key id. */
  public static final String SECRET_ACCESS_KEY = "lambda.secret-access-key";

  private static final int DEFAULT_CONCURRENCY = 16;
  private static final Logger LOG = LoggerFactory.getLogger(LambdaInvoker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest a Lambda invocation runs, plus time for its answer to arrive. */
  private static final Duration INVOCATION_TIMEOUT = Duration.ofMinutes(16);

  private final LambdaClient client;
  private final String function;
  private final ExecutorService pool;
  private final Map<TableIdentifier, AtomicInteger> requests = new ConcurrentHashMap<>();

  /**
   * Creates an invoker.
   *
   * @param client the Lambda client; closing the invoker closes it
   * @param function the function's name or ARN, optionally with {@code :alias}
   * @param concurrency how many invocations may wait for their answer at once (tables applied at
   *     once)
   */
  public LambdaInvoker(LambdaClient client, String function, int concurrency) {
    this.client = requireNonNull(client, "client is null");
    this.function = requireNonNull(function, "function is null");
    if (function.isBlank()) {
      throw new IllegalArgumentException("The Lambda function name is empty");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "The Lambda invoker's concurrency must be at least 1: " + concurrency);
    }
    AtomicInteger number = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-lambda-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Creates an invoker from catalog properties when they name a function ({@value #FUNCTION}), with
   * a client of its own. Credentials come from {@value #ACCESS_KEY_ID} and {@value
   * #SECRET_ACCESS_KEY} when set, else the standard AWS ways (environment, profile, role).
   *
   * @return the invoker, or empty when no function is named
   * @throws IllegalArgumentException naming the property that is malformed
   */
  public static Optional<LambdaInvoker> fromProperties(Map<String, String> properties) {
    String function = properties.get(FUNCTION);
    if (function == null) {
      return Optional.empty();
    }
    if (function.isBlank()) {
      throw new IllegalArgumentException(FUNCTION + " is empty: name the worker function");
    }
    int concurrency = DEFAULT_CONCURRENCY;
    String value = properties.get(CONCURRENCY);
    if (value != null) {
      try {
        concurrency = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            CONCURRENCY + " must be a whole number, got '" + value + "'", e);
      }
      if (concurrency < 1 || concurrency > 1000) {
        throw new IllegalArgumentException(
            CONCURRENCY + " must be between 1 and 1000, got " + concurrency);
      }
    }
    LambdaClientBuilder builder =
        LambdaClient.builder()
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(concurrency)
                    .socketTimeout(INVOCATION_TIMEOUT))
            .overrideConfiguration(
                configuration -> configuration.apiCallAttemptTimeout(INVOCATION_TIMEOUT));
    String region = properties.get(REGION);
    if (region != null && !region.isBlank()) {
      builder.region(Region.of(region.trim()));
    }
    String endpoint = properties.get(ENDPOINT);
    if (endpoint != null && !endpoint.isBlank()) {
      URI uri;
      try {
        uri = new URI(endpoint.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            ENDPOINT + " is not a URI: '" + endpoint + "' (" + e.getMessage() + ")", e);
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            ENDPOINT + " must be an http:// or https:// URL with a host, got '" + endpoint + "'");
      }
      builder.endpointOverride(uri);
    }
    String accessKey = properties.get(ACCESS_KEY_ID);
    String secretKey = properties.get(SECRET_ACCESS_KEY);
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          "Set both " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + ", or neither");
    }
    if (accessKey != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }
    return Optional.of(new LambdaInvoker(builder.build(), function.trim(), concurrency));
  }

  @Override
  public void invoke(ApplyRequest request) {
    AtomicInteger waiting = requests.computeIfAbsent(request.table(), table -> new AtomicInteger());
    if (waiting.getAndIncrement() == 0) {
      try {
        pool.execute(() -> run(request, waiting));
      } catch (RejectedExecutionException e) {
        waiting.set(0);
        LOG.debug("The invoker is closed; the sweeper asks for {} again", request.table());
      }
    }
  }

  private void run(ApplyRequest request, AtomicInteger waiting) {
    while (!Thread.currentThread().isInterrupted()) {
      int seen = waiting.get();
      boolean again = false;
      try {
        again = invokeOnce(request);
      } catch (RuntimeException e) {
        LOG.warn(
            "Lambda apply job of {} on {} failed; the sweeper retries it: {}",
            request.table(),
            function,
            e.getMessage(),
            e);
      } catch (Error e) {
        waiting.set(0);
        throw e;
      }
      if (!again && waiting.addAndGet(-seen) == 0) {
        return;
      }
    }
    waiting.set(0);
  }

  /** Runs one invocation; returns whether it ran out of time with records still pending. */
  private boolean invokeOnce(ApplyRequest request) {
    ObjectNode event = JSON.createObjectNode();
    event.put("table", request.table().toString());
    event.put("upToSequence", request.upToSequence());
    InvokeResponse response;
    try {
      response =
          client.invoke(
              InvokeRequest.builder()
                  .functionName(function)
                  .invocationType(InvocationType.REQUEST_RESPONSE)
                  .payload(SdkBytes.fromUtf8String(event.toString()))
                  .build());
    } catch (SdkException e) {
      throw new IllegalStateException(
          "Cannot invoke the Lambda function " + function + ": " + e.getMessage(), e);
    }
    String payload = response.payload() == null ? "" : response.payload().asUtf8String();
    if (response.functionError() != null) {
      throw new IllegalStateException(
          "The Lambda function "
              + function
              + " failed ("
              + response.functionError()
              + "): "
              + payload);
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(payload);
    } catch (IOException e) {
      throw new IllegalStateException(
          "The Lambda function " + function + " answered with malformed JSON: " + payload, e);
    }
    String end = answer == null ? "" : answer.path("end").asText("");
    switch (end) {
      case "DONE":
      case "BUSY":
        return false;
      case "OUT_OF_TIME":
        LOG.debug("The job of {} ran out of time; invoking again", request.table());
        return true;
      default:
        throw new IllegalStateException(
            "The Lambda function " + function + " answered without a known 'end': " + payload);
    }
  }

  /**
   * Stops taking requests, waits up to 30 s for the invocations under way, and closes the client.
   */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }
}
