package io.icecap.catalog;

/**
 * The Redis user lacks a permission the request needs (an ACL rule): nothing was changed. The
 * message names the command or key, and {@link AclRole} says what each part of Icecap needs.
 */
public final class RedisPermissionException extends RedisCatalogException {
  private static final long serialVersionUID = 1L;

  RedisPermissionException(Throwable cause, String message) {
    super(cause, "%s", message);
  }
}
