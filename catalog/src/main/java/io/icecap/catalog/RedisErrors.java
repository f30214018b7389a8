package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/** Turns Lettuce's errors into messages that name the catalog, the server and the cause. */
final class RedisErrors {
  private final String catalogName;
  private final String server;

  RedisErrors(String catalogName, String server) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.server = requireNonNull(server, "server is null");
  }

  /** A request was sent and no answer came back in time. */
  UncertainOutcomeException timedOut(String action, RedisException e) {
    return new UncertainOutcomeException(
        e,
        String.format(
            "Cannot %s in catalog %s: Redis at %s did not answer in time (%s); the request may"
                + " or may not have been applied",
            action, catalogName, server, e.getMessage()));
  }

  /**
   * The thread was interrupted while it waited for Redis's answer to a request it had sent. The
   * thread's interrupt flag is set again.
   */
  UncertainOutcomeException interruptedAwaiting(String action, RedisException e) {
    Thread.currentThread().interrupt();
    return new UncertainOutcomeException(
        e,
        String.format(
            "Cannot %s in catalog %s: interrupted while waiting for the answer of Redis at %s;"
                + " the request may or may not have been applied",
            action, catalogName, server));
  }

  /**
   * The thread was interrupted while it connected to Redis: no request was sent. The thread's
   * interrupt flag is set again.
   */
  RedisCatalogException interruptedConnecting(String action, RedisException e) {
    Thread.currentThread().interrupt();
    return new RedisCatalogException(
        e,
        "Cannot %s in catalog %s: interrupted while connecting to Redis at %s; nothing was sent",
        action,
        catalogName,
        server);
  }

  /** Whether {@code e} or one of its causes is an interrupt of the waiting thread. */
  static boolean interrupted(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException
          || cause instanceof RedisCommandInterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** A request was sent and its connection failed before the answer came back. */
  UncertainOutcomeException connectionLost(String action, RedisException e) {
    return new UncertainOutcomeException(
        e,
        String.format(
            "Cannot %s in catalog %s: the connection to Redis at %s failed (%s); the request"
                + " may or may not have been applied",
            action, catalogName, server, e.getMessage()));
  }

  /**
   * A script found, before its first write, that the Redis user may not make one of its writes
   * (Redis 7 and later check this; without the check Redis would refuse the script halfway).
   */
  RedisPermissionException scriptDenied(String action, Object key, Object command) {
    return new RedisPermissionException(
        null,
        String.format(
            "Cannot %s in catalog %s: the Redis user may not %s key '%s' at %s, so nothing was"
                + " changed. Give it the ACL rules of its Icecap role (io.icecap.catalog.AclRole:"
                + " client for sessions, worker for workers, admin to drop or rename tables)",
            action, catalogName, command, key, server));
  }

  /** A script found a key of another type than the catalog keeps there. */
  RedisCatalogException wrongType(String action, Object key, Object actual, Object expected) {
    return new RedisCatalogException(
        "Cannot %s in catalog %s: Redis key '%s' at %s is a %s, but Icecap keeps a %s there;"
            + " something other than Icecap wrote it. Inspect it (TYPE, DUMP) and delete or"
            + " rename it, then retry",
        action, catalogName, key, server, actual, expected);
  }

  /**
   * Whether the request failed before it was written: its channel was closed, or Lettuce rejected
   * it because the connection had already dropped or been closed by another thread.
   */
  static boolean neverSent(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof ClosedChannelException
          || message.startsWith("Currently not connected")
          || message.equals("Connection is closed")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether Lettuce lost the server's answer to a failed connection handshake and reported only
   * {@code RedisHandshakeHandler not registered}.
   */
  static boolean lostHandshakeAnswer(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalStateException
          && String.valueOf(cause.getMessage()).contains("HandshakeHandler")) {
        return true;
      }
    }
    return false;
  }

  RedisCatalogException serverError(String action, RedisException e) {
    String message = String.valueOf(e.getMessage());
    String code = message.split(" ", 2)[0].toUpperCase(Locale.ROOT);
    switch (code) {
      case "NOAUTH":
      case "WRONGPASS":
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: Redis at %s refused the credentials (%s). Check the user and"
                + " password in the catalog's uri, or the properties %s and %s",
            action,
            catalogName,
            server,
            message,
            RedisCatalogProperties.USER,
            RedisCatalogProperties.PASSWORD);
      case "NOPERM":
        return new RedisPermissionException(
            e,
            String.format(
                "Cannot %s in catalog %s: the Redis user lacks a permission at %s (%s). Give it"
                    + " the ACL rules of its Icecap role (io.icecap.catalog.AclRole: client for"
                    + " sessions, worker for workers, admin to drop or rename tables)",
                action, catalogName, server, message));
      case "WRONGTYPE":
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: a Redis key at %s has another type than Icecap keeps there"
                + " (%s); something other than Icecap wrote it. Inspect the catalog's icecap:*"
                + " keys and delete or rename the stray one",
            action,
            catalogName,
            server,
            message);
      case "READONLY":
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: Redis at %s is a read-only replica. Point the catalog's"
                + " uri at the primary",
            action,
            catalogName,
            server);
      case "LOADING":
        return new RedisUnavailableException(
            e,
            "Cannot %s in catalog %s: Redis at %s is loading its data set into memory (%s); the"
                + " request was not applied, retry once it has loaded",
            action,
            catalogName,
            server,
            message);
      case "BUSY":
      case "MASTERDOWN":
      case "TRYAGAIN":
        return new RedisUnavailableException(
            e,
            "Cannot %s in catalog %s: Redis at %s cannot take requests for now (%s); the request"
                + " was not applied, retry later",
            action,
            catalogName,
            server,
            message);
      case "OOM":
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: Redis at %s is out of memory (%s). Raise maxmemory or free"
                + " memory; Icecap's keys must not be evicted (use maxmemory-policy noeviction)",
            action,
            catalogName,
            server,
            message);
      default:
        if (message.contains("user executing the script can't")) {
          // Redis 6.2 refuses a command inside a script with a plain script error
          return new RedisPermissionException(
              e,
              String.format(
                  "Cannot %s in catalog %s: the Redis user lacks a permission at %s (%s). Give it"
                      + " the ACL rules of its Icecap role (io.icecap.catalog.AclRole)",
                  action, catalogName, server, message));
        }
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: Redis at %s answered with an error: %s",
            action,
            catalogName,
            server,
            message);
    }
  }

  RedisCatalogException unreachable(String action, RedisException e) {
    if (interrupted(e)) {
      return interruptedConnecting(action, e);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        return serverError(action, (RedisException) cause);
      }
      if (cause instanceof SSLHandshakeException) {
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: the TLS handshake with Redis at %s failed (%s). If the"
                + " server's certificate is not signed by a CA this JVM trusts, set %s to a PEM"
                + " file of that CA (or %s to ca or none)",
            action,
            catalogName,
            server,
            cause.getMessage(),
            RedisCatalogProperties.TLS_TRUSTED_CERTIFICATES,
            RedisCatalogProperties.TLS_VERIFY_PEER);
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String hint =
        server.startsWith("redis://") && !cause.contains("refused")
            ? " If the server only accepts TLS, use rediss://"
            : "";
    return new RedisUnavailableException(
        e,
        "Cannot %s in catalog %s: cannot reach Redis at %s (%s). Check that the server is running"
            + " and that the catalog's uri property names it.%s",
        action,
        catalogName,
        server,
        cause,
        hint);
  }
}
