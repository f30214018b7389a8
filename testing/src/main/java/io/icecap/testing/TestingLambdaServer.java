package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The AWS Lambda Invoke API on a local port, running one function's handler in this process the way
 * Lambda runs it: each execution environment is one handler instance, made by {@code environments}
 * on a cold start and reused by later invocations while it is idle; one invocation at a time per
 * environment; at most {@code concurrency} at once (more are refused with {@code
 * TooManyRequestsException}, which the SDK retries); JSON in and out, a {@link
 * TestingLambdaContext} with the time left; an invocation past the function's timeout gets {@code
 * Task timed out}, its thread is interrupted and its environment is never reused. Errors come back
 * as Lambda's function errors ({@code X-Amz-Function-Error: Unhandled} and {@code errorMessage},
 * {@code errorType}). {@code Event} invocations answer 202 and run in the background, retried twice
 * on error; {@code DryRun} answers 204.
 *
 * <p>It stands in for Lambda where no Docker engine runs LocalStack; the AWS SDK's {@link
 * LambdaClient} talks to it over HTTP like to Lambda.
 */
public final class TestingLambdaServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVOKE_PATH = "/2015-03-31/functions/";
  private static final int EVENT_ATTEMPTS = 3;

  private final String functionName;
  private final Supplier<? extends RequestHandler<Map<String, Object>, Map<String, Object>>>
      environments;
  private final Duration timeout;
  private final Semaphore concurrency;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ExecutorService requests;
  private final Deque<RequestHandler<Map<String, Object>, Map<String, Object>>> idle =
      new ArrayDeque<>();
  private final List<RequestHandler<Map<String, Object>, Map<String, Object>>> all =
      new CopyOnWriteArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicInteger timeouts = new AtomicInteger();
  private final List<Map<String, Object>> answers = new CopyOnWriteArrayList<>();

  private TestingLambdaServer(
      String functionName,
      Supplier<? extends RequestHandler<Map<String, Object>, Map<String, Object>>> environments,
      Duration timeout,
      int concurrency)
      throws IOException {
    this.functionName = functionName;
    this.environments = environments;
    this.timeout = timeout;
    this.concurrency = new Semaphore(concurrency);
    AtomicInteger number = new AtomicInteger();
    this.handlers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "lambda-" + functionName + "-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.requests =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "lambda-api-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(requests);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts serving one function.
   *
   * @param functionName the function's name
   * @param environments makes the handler of a new execution environment (a cold start)
   * @param timeout the function's timeout
   * @param concurrency the most invocations running at once
   */
  public static TestingLambdaServer start(
      String functionName,
      Supplier<? extends RequestHandler<Map<String, Object>, Map<String, Object>>> environments,
      Duration timeout,
      int concurrency) {
    requireNonNull(functionName, "functionName is null");
    requireNonNull(environments, "environments is null");
    requireNonNull(timeout, "timeout is null");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    try {
      return new TestingLambdaServer(functionName, environments, timeout, concurrency);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the Lambda API server: " + e.getMessage(), e);
    }
  }

  /** The endpoint to give a Lambda client. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A Lambda client for this server: region us-east-1, test credentials. */
  public LambdaClient client() {
    return LambdaClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(timeout.plusSeconds(30)))
        .build();
  }

  /** How many execution environments were created (cold starts). */
  public int coldStarts() {
    return all.size();
  }

  /** How many invocations ran the handler. */
  public int invocations() {
    return invocations.get();
  }

  /** How many invocations ran past the timeout. */
  public int timeouts() {
    return timeouts.get();
  }

  /** What the handler answered, in the order the invocations ended. */
  public List<Map<String, Object>> answers() {
    return List.copyOf(answers);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!exchange.getRequestMethod().equals("POST")
          || !path.startsWith(INVOKE_PATH)
          || !path.endsWith("/invocations")) {
        error(exchange, 404, "UnknownOperationException", "Not the Invoke API: " + path);
        return;
      }
      String name =
          URLDecoder.decode(
              path.substring(INVOKE_PATH.length(), path.length() - "/invocations".length()),
              StandardCharsets.UTF_8);
      String bareName = name.substring(name.lastIndexOf(':') + 1);
      if (!name.equals(functionName) && !bareName.equals(functionName)) {
        error(exchange, 404, "ResourceNotFoundException", "Function not found: " + name);
        return;
      }
      byte[] payload;
      try (InputStream body = exchange.getRequestBody()) {
        payload = body.readAllBytes();
      }
      String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
      if (type == null || type.equals("RequestResponse")) {
        if (!concurrency.tryAcquire()) {
          error(exchange, 429, "TooManyRequestsException", "Rate Exceeded.");
          return;
        }
        try {
          respond(exchange, invoke(payload));
        } finally {
          concurrency.release();
        }
      } else if (type.equals("Event")) {
        requests.execute(() -> invokeInBackground(payload));
        exchange.sendResponseHeaders(202, -1);
      } else if (type.equals("DryRun")) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        error(exchange, 400, "InvalidParameterValueException", "Unknown invocation type " + type);
      }
    }
  }

  private void invokeInBackground(byte[] payload) {
    for (int attempt = 0; attempt < EVENT_ATTEMPTS; attempt++) {
      try {
        concurrency.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        if (invoke(payload).error() == null) {
          return;
        }
      } finally {
        concurrency.release();
      }
    }
  }

  /** What an invocation gave: a payload, and the function error if it failed. */
  private record Result(byte[] payload, String error) {}

  private Result invoke(byte[] payload) {
    Map<String, Object> event;
    try {
      event =
          payload.length == 0
              ? null
              : JSON.readValue(payload, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      return failure(
          "Unhandled",
          "An error occurred during JSON parsing: " + e.getMessage(),
          "java.lang.RuntimeException");
    }
    RequestHandler<Map<String, Object>, Map<String, Object>> handler;
    try {
      handler = environment();
    } catch (RuntimeException e) {
      // as Lambda reports a handler whose constructor failed (Init error)
      return failure("Unhandled", String.valueOf(e.getMessage()), e.getClass().getName());
    }
    invocations.incrementAndGet();
    TestingLambdaContext context = new TestingLambdaContext(functionName, 4096, timeout);
    Future<Map<String, Object>> running =
        handlers.submit(() -> handler.handleRequest(event, context));
    try {
      Map<String, Object> answer = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      answers.add(answer == null ? Map.of() : answer);
      release(handler);
      return new Result(JSON.writeValueAsBytes(answer), null);
    } catch (TimeoutException e) {
      running.cancel(true);
      timeouts.incrementAndGet();
      return failure(
          "Unhandled",
          String.format("Task timed out after %.2f seconds", timeout.toMillis() / 1000.0),
          null);
    } catch (ExecutionException e) {
      release(handler);
      Throwable cause = e.getCause();
      return failure("Unhandled", String.valueOf(cause.getMessage()), cause.getClass().getName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.cancel(true);
      return failure("Unhandled", "The invocation was interrupted", null);
    } catch (IOException e) {
      release(handler);
      return failure("Unhandled", "Cannot serialize the answer: " + e.getMessage(), null);
    }
  }

  private static Result failure(String error, String message, String type) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errorMessage", message);
    if (type != null) {
      body.put("errorType", type);
    }
    try {
      return new Result(JSON.writeValueAsBytes(body), error);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized RequestHandler<Map<String, Object>, Map<String, Object>> environment() {
    RequestHandler<Map<String, Object>, Map<String, Object>> handler = idle.pollLast();
    if (handler == null) {
      handler = environments.get();
      all.add(handler);
    }
    return handler;
  }

  private synchronized void release(RequestHandler<Map<String, Object>, Map<String, Object>> h) {
    idle.addLast(h);
  }

  private static void respond(HttpExchange exchange, Result result) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
    if (result.error() != null) {
      exchange.getResponseHeaders().set("X-Amz-Function-Error", result.error());
    }
    exchange.sendResponseHeaders(200, result.payload().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(result.payload());
    }
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    byte[] body =
        JSON.writeValueAsBytes(Map.of("Type", "User", "message", message, "Message", message));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving, interrupts invocations under way and closes every environment that can be. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    requests.shutdownNow();
    try {
      handlers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (RequestHandler<Map<String, Object>, Map<String, Object>> handler : all) {
      if (handler instanceof AutoCloseable) {
        try {
          ((AutoCloseable) handler).close();
        } catch (Exception e) {
          System.err.println("Closing a Lambda environment failed: " + e);
        }
      }
    }
  }
}
