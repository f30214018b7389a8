package io.icecap.catalog;

/**
 * A request was sent to Redis but no answer came back (a timeout or a dropped connection): it may
 * or may not have been applied.
 */
public final class UncertainOutcomeException extends RedisCatalogException {
  private static final long serialVersionUID = 1L;

  UncertainOutcomeException(Throwable cause, String message) {
    super(cause, "%s", message);
  }
}
