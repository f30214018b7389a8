package io.icecap.catalog;

/**
 * An error talking to the catalog's Redis server: unreachable, refused credentials, a key of an
 * unexpected type, a timeout. The message names the catalog, the object and the cause.
 */
public class RedisCatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code String.format(message, args)}. */
  public RedisCatalogException(String message, Object... args) {
    super(String.format(message, args));
  }

  /** Creates an exception with a cause, whose message is {@code String.format(message, args)}. */
  public RedisCatalogException(Throwable cause, String message, Object... args) {
    super(String.format(message, args), cause);
  }
}
