package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.Closeable;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One catalog's connection to Redis: a single thread-safe connection, re-opened after it drops, and
 * the translation of Lettuce's errors into messages that name the server and the cause.
 *
 * <p>The connection does not reconnect and resend by itself: a request whose answer was lost
 * surfaces as an {@link UncertainOutcomeException}, so that a commit is never silently resent after
 * its caller has been told it failed.
 */
final class RedisSession implements Closeable {
  private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-socket");
  private static final ClientResources RESOURCES =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

  private final String catalogName;
  private final String server;
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  private RedisSession(String catalogName, String server, RedisClient client) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.server = requireNonNull(server, "server is null");
    this.client = requireNonNull(client, "client is null");
  }

  /**
   * Opens the session described by the catalog properties and checks that the server answers.
   *
   * @throws IllegalArgumentException when a property is missing or malformed
   * @throws RedisCatalogException when the server cannot be reached or refuses the credentials
   */
  static RedisSession open(String catalogName, Map<String, String> properties) {
    RedisURI uri = parseUri(properties.get(RedisCatalogProperties.URI));
    String user = properties.get(RedisCatalogProperties.USER);
    String password = properties.get(RedisCatalogProperties.PASSWORD);
    if (password != null) {
      if (user != null) {
        uri.setUsername(user);
      }
      uri.setPassword(password.toCharArray());
    } else if (user != null) {
      throw new IllegalArgumentException(
          String.format(
              "Catalog property %s is set but %s is not: give both, or neither",
              RedisCatalogProperties.USER, RedisCatalogProperties.PASSWORD));
    }
    Duration timeout =
        RedisCatalogProperties.duration(
            properties,
            RedisCatalogProperties.TIMEOUT_MS,
            RedisCatalogProperties.TIMEOUT_MS_DEFAULT);
    Duration connectTimeout =
        RedisCatalogProperties.duration(
            properties,
            RedisCatalogProperties.CONNECT_TIMEOUT_MS,
            RedisCatalogProperties.CONNECT_TIMEOUT_MS_DEFAULT);
    uri.setTimeout(timeout);
    uri.setClientName("icecap-catalog");

    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(false)
            .protocolVersion(ProtocolVersion.RESP2)
            .socketOptions(
                SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout));
    if (uri.isSsl()) {
      configureTls(uri, options, properties);
    }

    RedisClient client = RedisClient.create(RESOURCES, uri);
    client.setOptions(options.build());
    RedisSession session = new RedisSession(catalogName, display(uri), client);
    try {
      session.call("connect", RedisCommands::ping);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  /** The server as shown in messages: scheme, host, port and database, never credentials. */
  String server() {
    return server;
  }

  /**
   * Runs commands on the connection, opening it first when needed.
   *
   * @param action what is being done, for error messages ("load table db.t")
   * @throws UncertainOutcomeException when the request was sent but its answer was lost
   * @throws RedisCatalogException when Redis is unreachable or answers with an error
   */
  <T> T call(String action, Function<RedisCommands<String, String>, T> commands) {
    StatefulRedisConnection<String, String> current = connection(action);
    try {
      try {
        return commands.apply(current.sync());
      } catch (RedisException e) {
        if (!neverSent(e)) {
          throw e;
        }
        // the connection was closed before the request went out: safe to send it again
        current.closeAsync();
        return commands.apply(connection(action).sync());
      }
    } catch (RedisCommandTimeoutException e) {
      throw new UncertainOutcomeException(
          e,
          String.format(
              "Cannot %s in catalog %s: Redis at %s did not answer in time (%s); the request may"
                  + " or may not have been applied",
              action, catalogName, server, e.getMessage()));
    } catch (RedisCommandExecutionException e) {
      throw translateServerError(action, e);
    } catch (RedisConnectionException e) {
      throw unreachable(action, e);
    } catch (RedisException e) {
      throw new UncertainOutcomeException(
          e,
          String.format(
              "Cannot %s in catalog %s: the connection to Redis at %s failed (%s); the request"
                  + " may or may not have been applied",
              action, catalogName, server, e.getMessage()));
    }
  }

  /**
   * Runs a catalog script atomically, loading it into the server's script cache when missing.
   *
   * @return the script's reply, a list whose first element is a status word
   */
  List<Object> script(String action, CatalogScript script, List<String> keys, List<String> args) {
    String[] keyArray = keys.toArray(new String[0]);
    String[] argArray = args.toArray(new String[0]);
    List<Object> reply =
        call(
            action,
            redis -> {
              try {
                return redis.evalsha(script.sha1(), ScriptOutputType.MULTI, keyArray, argArray);
              } catch (RedisNoScriptException e) {
                return redis.eval(script.source(), ScriptOutputType.MULTI, keyArray, argArray);
              }
            });
    if (!reply.isEmpty() && "WRONGTYPE".equals(reply.get(0))) {
      throw new RedisCatalogException(
          "Cannot %s in catalog %s: Redis key '%s' at %s is a %s, but Icecap keeps a %s there;"
              + " something other than Icecap wrote it. Inspect it (TYPE, DUMP) and delete or"
              + " rename it, then retry",
          action, catalogName, reply.get(1), server, reply.get(2), reply.get(3));
    }
    return reply;
  }

  private synchronized StatefulRedisConnection<String, String> connection(String action) {
    if (connection == null || !connection.isOpen()) {
      if (connection != null) {
        connection.closeAsync();
      }
      try {
        connection = connectOnce();
        // Load every script up front: a NOSCRIPT answer that comes after a timeout could not
        // be followed by the fallback EVAL, and the commit would be lost for no reason.
        for (CatalogScript script : CatalogScript.values()) {
          connection.sync().scriptLoad(script.source());
        }
      } catch (RedisCommandExecutionException e) {
        throw translateServerError(action, e);
      } catch (RedisException e) {
        throw unreachable(action, e);
      }
    }
    return connection;
  }

  /**
   * Opens a connection. Lettuce sometimes loses the server's answer to a failed handshake (a
   * refused password, say) and reports only {@code RedisHandshakeHandler not registered}; one more
   * attempt then brings the real answer, so the error can name the cause.
   */
  private StatefulRedisConnection<String, String> connectOnce() {
    try {
      return client.connect(StringCodec.UTF8);
    } catch (RedisConnectionException e) {
      if (!lostHandshakeAnswer(e)) {
        throw e;
      }
      return client.connect(StringCodec.UTF8);
    }
  }

  private static boolean lostHandshakeAnswer(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalStateException
          && String.valueOf(cause.getMessage()).contains("HandshakeHandler")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the request failed because its connection was closed before it was written. */
  private static boolean neverSent(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  private RedisCatalogException translateServerError(String action, RedisException e) {
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
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: the Redis user lacks a permission at %s (%s). Grant it"
                + " commands +@all (or at least +@read +@write +@scripting) on keys icecap:*",
            action,
            catalogName,
            server,
            message);
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
        return new RedisCatalogException(
            e,
            "Cannot %s in catalog %s: Redis at %s answered with an error: %s",
            action,
            catalogName,
            server,
            message);
    }
  }

  private RedisCatalogException unreachable(String action, RedisException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        return translateServerError(action, (RedisException) cause);
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new RedisCatalogException(
        e,
        "Cannot %s in catalog %s: cannot reach Redis at %s (%s). Check that the server is running"
            + " and that the catalog's uri property names it",
        action,
        catalogName,
        server,
        root.getMessage());
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static RedisURI parseUri(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "Missing catalog property uri: set it to the Redis server, for example"
              + " redis://localhost:6379 (rediss:// for TLS)");
    }
    String shown = redact(text);
    URI parsed;
    try {
      parsed = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid catalog property uri=%s: %s. Expected"
                  + " redis://[user:password@]host[:port][/database]",
              shown, e.getReason()),
          e);
    }
    String scheme = parsed.getScheme();
    if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid catalog property uri=%s: the scheme must be redis://, rediss:// (TLS) or"
                  + " redis-socket://, got %s",
              shown, scheme == null ? "none" : scheme + "://"));
    }
    if (!scheme.equalsIgnoreCase("redis-socket")) {
      if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid catalog property uri=%s: no host. Expected"
                    + " redis://[user:password@]host[:port][/database]",
                shown));
      }
      if (parsed.getPath() != null && parsed.getPath().length() > 1) {
        String database = parsed.getPath().substring(1);
        if (!database.chars().allMatch(Character::isDigit)) {
          throw new IllegalArgumentException(
              String.format(
                  "Invalid catalog property uri=%s: the path must be a database number, got '%s'",
                  shown, database));
        }
      }
    }
    try {
      return RedisURI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format("Invalid catalog property uri=%s: %s", shown, e.getMessage()), e);
    }
  }

  private static void configureTls(
      RedisURI uri, ClientOptions.Builder options, Map<String, String> properties) {
    String verify = properties.getOrDefault(RedisCatalogProperties.TLS_VERIFY_PEER, "full");
    switch (verify.toLowerCase(Locale.ROOT)) {
      case "full":
        uri.setVerifyPeer(SslVerifyMode.FULL);
        break;
      case "ca":
        uri.setVerifyPeer(SslVerifyMode.CA);
        break;
      case "none":
        uri.setVerifyPeer(SslVerifyMode.NONE);
        break;
      default:
        throw new IllegalArgumentException(
            String.format(
                "Invalid catalog property %s=%s: expected full, ca or none",
                RedisCatalogProperties.TLS_VERIFY_PEER, verify));
    }
    String trusted = properties.get(RedisCatalogProperties.TLS_TRUSTED_CERTIFICATES);
    if (trusted != null) {
      File file = new File(trusted);
      if (!file.isFile()) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid catalog property %s=%s: no such file",
                RedisCatalogProperties.TLS_TRUSTED_CERTIFICATES, trusted));
      }
      options.sslOptions(SslOptions.builder().trustManager(file).build());
    }
  }

  private static String display(RedisURI uri) {
    if (uri.getSocket() != null) {
      return "redis-socket://" + uri.getSocket();
    }
    return (uri.isSsl() ? "rediss://" : "redis://")
        + uri.getHost()
        + ":"
        + uri.getPort()
        + (uri.getDatabase() != 0 ? "/" + uri.getDatabase() : "");
  }

  /** The uri with any user and password replaced by {@code ***}, for messages. */
  static String redact(String uri) {
    return uri.replaceAll("//[^/@]*@", "//***@");
  }
}
