package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the catalog's Redis is available, as a long-running process that keeps retrying sees it
 * across its connections. An outage is an error that retrying mends: Redis cannot be reached, is
 * restarting or loading its data set, or a connection failed before its answer came. The first
 * failed request of an outage logs one line (what failed, on which server) and the first answer
 * after it logs one more (how long it lasted); requests that fail in between log nothing, however
 * many there are.
 *
 * <pre>{@code
 * RedisOutage outage = new RedisOutage(logs.server());
 * try {
 *   take();
 *   outage.answered();
 * } catch (RuntimeException e) {
 *   if (!outage.failed(e)) {
 *     throw e; // not an outage: a refused password, a key of the wrong type, an interrupt
 *   }
 *   backOff();
 * }
 * }</pre>
 */
public final class RedisOutage {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOutage.class);

  private final String server;
  private long downSinceNanos;
  private boolean down;

  /**
   * Tracks the outages of one server.
   *
   * @param server the server as messages show it ({@link RedisSession#server()}), never with
   *     credentials
   */
  public RedisOutage(String server) {
    this.server = requireNonNull(server, "server is null");
  }

  /**
   * Whether a failure is an outage of Redis: the failure or one of its causes is a {@link
   * RedisUnavailableException} or an {@link UncertainOutcomeException}, and it is not an interrupt
   * of the thread.
   */
  public static boolean isOutage(Throwable failure) {
    if (isInterrupt(failure)) {
      return false;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisUnavailableException
          || cause instanceof UncertainOutcomeException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a failure comes from an interrupt of the thread that waited (a process stopping its
   * work), rather than from Redis or the work itself.
   */
  public static boolean isInterrupt(Throwable failure) {
    return RedisErrors.interrupted(failure);
  }

  /**
   * Reports a failed request. An outage that starts with it is logged, once.
   *
   * @return whether the failure is an outage (see {@link #isOutage}); when it is not, the caller
   *     deals with it
   */
  public boolean failed(Throwable failure) {
    if (!isOutage(failure)) {
      return false;
    }
    synchronized (this) {
      if (down) {
        return true;
      }
      down = true;
      downSinceNanos = System.nanoTime();
    }
    LOG.warn(
        "Redis at {} is out; retrying with backoff until it answers again. {}",
        server,
        firstLine(failure));
    return true;
  }

  /** Reports an answer from Redis. The end of an outage is logged, once. */
  public void answered() {
    long lasted;
    synchronized (this) {
      if (!down) {
        return;
      }
      down = false;
      lasted = System.nanoTime() - downSinceNanos;
    }
    LOG.info(
        "Redis at {} answers again after an outage of {}",
        server,
        describe(Duration.ofNanos(lasted)));
  }

  /** Whether an outage is under way: a request failed and none was answered since. */
  public synchronized boolean isDown() {
    return down;
  }

  /** The server as messages show it. */
  public String server() {
    return server;
  }

  private static String firstLine(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String describe(Duration lasted) {
    long millis = lasted.toMillis();
    return millis < 10_000
        ? String.format("%.1f s", millis / 1000.0)
        : String.format("%d s", lasted.toSeconds());
  }
}
