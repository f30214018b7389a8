package io.icecap.catalog;

/**
 * Redis could not take a request for now: it cannot be reached (stopped, restarting, a network
 * fault) or it is not ready (loading its data set, busy with a script, a replica without its
 * primary). The request was not applied; the same request may be sent again later.
 */
public final class RedisUnavailableException extends RedisCatalogException {
  private static final long serialVersionUID = 1L;

  RedisUnavailableException(Throwable cause, String message, Object... args) {
    super(cause, message, args);
  }
}
