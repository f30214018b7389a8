package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.Closeable;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catalog's connection to Redis: a single thread-safe connection, re-opened after it drops,
 * with the catalog's scripts loaded, and errors turned into messages by {@link RedisErrors}.
 *
 * <p>The connection does not reconnect and resend by itself: a request whose answer was lost
 * surfaces as an {@link UncertainOutcomeException}, so that a commit is never silently resent after
 * its caller has been told it failed.
 */
public final class RedisSession implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSession.class);
  // no latency recorder: Lettuce would start one whenever HdrHistogram and LatencyUtils happen to
  // be on the class path (an engine's, for the catalog runtime jar), and nothing reads it
  private static final ClientResources RESOURCES =
      DefaultClientResources.builder()
          .ioThreadPoolSize(2)
          .computationThreadPoolSize(2)
          .commandLatencyRecorder(CommandLatencyRecorder.disabled())
          .build();

  private final String catalogName;
  private final String server;
  private final RedisErrors errors;
  private final RedisClient client;
  private final String clientName;
  private final List<RedisScript> scripts;
  private StatefulRedisConnection<String, String> connection;
  private volatile boolean readOnlyScripts;

  private RedisSession(
      String catalogName,
      String server,
      RedisClient client,
      String clientName,
      Collection<RedisScript> scripts) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.server = requireNonNull(server, "server is null");
    this.client = requireNonNull(client, "client is null");
    this.clientName = requireNonNull(clientName, "clientName is null");
    this.scripts = List.copyOf(scripts);
    this.errors = new RedisErrors(catalogName, server);
  }

  /**
   * Opens the session described by the catalog properties and checks that the server answers.
   *
   * @throws IllegalArgumentException when a property is missing or malformed
   * @throws RedisCatalogException when the server cannot be reached or refuses the credentials
   */
  static RedisSession open(String catalogName, Map<String, String> properties) {
    return open(catalogName, properties, "icecap-catalog", List.of());
  }

  /**
   * Opens a session of the catalog's Redis for another part of Icecap, whose own scripts are loaded
   * with the catalog's whenever the connection opens.
   *
   * @param catalogName the catalog's name, for messages
   * @param properties the catalog's properties ({@code uri}, {@code redis.*})
   * @param clientName the connection's name as {@code CLIENT LIST} shows it
   * @param scripts the scripts this session will run besides the catalog's
   * @throws IllegalArgumentException when a property is missing or malformed
   * @throws RedisCatalogException when the server cannot be reached or refuses the credentials
   */
  public static RedisSession open(
      String catalogName,
      Map<String, String> properties,
      String clientName,
      Collection<RedisScript> scripts) {
    RedisSession session = create(catalogName, properties, clientName, scripts);
    try {
      session.check();
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  /**
   * Creates a session as {@link #open(String, Map, String, Collection)} does, without connecting:
   * the first request connects. A process that waits for Redis to come up calls {@link #check()} on
   * one session until it answers, rather than opening a session per attempt.
   *
   * @throws IllegalArgumentException when a property is missing or malformed
   */
  public static RedisSession create(
      String catalogName,
      Map<String, String> properties,
      String clientName,
      Collection<RedisScript> scripts) {
    RedisConnectionSettings settings = RedisConnectionSettings.from(properties);
    RedisClient client = RedisClient.create(RESOURCES, settings.uri());
    client.setOptions(settings.options());
    return new RedisSession(catalogName, settings.server(), client, clientName, scripts);
  }

  /**
   * Checks that the server answers and that the catalog can work with it: it is not in cluster
   * mode. Warns about settings that lose data.
   *
   * @throws RedisUnavailableException when the server cannot be reached or is not ready
   * @throws RedisCatalogException when the server refuses the credentials or cannot hold a catalog
   */
  public void check() {
    call("connect", RedisCommands::ping);
    checkServer();
  }

  /**
   * Refuses a server the catalog cannot work with, and warns about settings that lose data.
   *
   * <p>Create, drop and rename run one script over the catalog's keys and the table's keys, which
   * live in two hash slots: Redis Cluster refuses such scripts.
   */
  private void checkServer() {
    String version = parseInfo(call("connect", r -> r.info("server"))).get("redis_version");
    // EVALSHA_RO (Redis 7) runs a read-only script with read access to its keys alone
    readOnlyScripts = version != null && majorVersion(version) >= 7;
    Map<String, String> cluster = parseInfo(call("connect", r -> r.info("cluster")));
    if ("1".equals(cluster.get("cluster_enabled"))) {
      throw new RedisCatalogException(
          "Cannot use Redis at %s for catalog %s: it runs in cluster mode, and the catalog's"
              + " create, drop and rename scripts span two hash slots. Use a standalone Redis, a"
              + " primary with replicas (ElastiCache with cluster mode disabled) or Sentinel",
          server, catalogName);
    }
    Map<String, String> memory = parseInfo(call("connect", r -> r.info("memory")));
    String policy = memory.get("maxmemory_policy");
    if (policy != null && !policy.equals("noeviction")) {
      LOG.warn(
          "Redis at {} may evict keys under memory pressure (maxmemory-policy {}): a catalog whose"
              + " keys are evicted loses tables. Set maxmemory-policy noeviction",
          server,
          policy);
    }
    Map<String, String> persistence = parseInfo(call("connect", r -> r.info("persistence")));
    if ("0".equals(persistence.get("aof_enabled"))) {
      LOG.info(
          "Redis at {} runs without an append-only file: commits acknowledged since its last"
              + " snapshot are lost if it crashes (see appendonly and appendfsync)",
          server);
    }
  }

  private static int majorVersion(String version) {
    try {
      return Integer.parseInt(version.split("\\.", 2)[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> parseInfo(String info) {
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /**
   * The server the catalog properties name, as messages show it: scheme, host, port and database,
   * never credentials.
   *
   * @throws IllegalArgumentException when a property is missing or malformed
   */
  public static String server(Map<String, String> properties) {
    return RedisConnectionSettings.from(properties).server();
  }

  /** The server as shown in messages: scheme, host, port and database, never credentials. */
  public String server() {
    return server;
  }

  /**
   * Runs commands on the connection, opening it first when needed.
   *
   * @param action what is being done, for error messages ("load table db.t")
   * @throws UncertainOutcomeException when the request was sent but its answer was lost
   * @throws RedisCatalogException when Redis is unreachable or answers with an error
   */
  public <T> T call(String action, Function<RedisCommands<String, String>, T> commands) {
    StatefulRedisConnection<String, String> current = connection(action);
    try {
      try {
        return commands.apply(current.sync());
      } catch (RedisException e) {
        if (!RedisErrors.neverSent(e)) {
          throw e;
        }
        // the connection was closed before the request went out: safe to send it again
        discard(current);
        return commands.apply(connection(action).sync());
      }
    } catch (RedisCommandInterruptedException e) {
      throw errors.interruptedAwaiting(action, e);
    } catch (RedisCommandTimeoutException e) {
      throw errors.timedOut(action, e);
    } catch (RedisCommandExecutionException e) {
      throw errors.serverError(action, e);
    } catch (RedisConnectionException e) {
      throw errors.unreachable(action, e);
    } catch (RedisException e) {
      throw RedisErrors.interrupted(e)
          ? errors.interruptedAwaiting(action, e)
          : errors.connectionLost(action, e);
    }
  }

  /**
   * Runs a catalog script atomically, loading it into the server's script cache when missing.
   *
   * @return the script's reply, a list whose first element is a status word
   */
  public List<Object> script(
      String action, RedisScript script, List<String> keys, List<String> args) {
    String[] keyArray = keys.toArray(new String[0]);
    String[] argArray = args.toArray(new String[0]);
    boolean readOnly = script.readOnly() && readOnlyScripts;
    List<Object> reply =
        call(
            action,
            redis -> {
              try {
                return readOnly
                    ? redis.evalshaReadOnly(
                        script.sha1(), ScriptOutputType.MULTI, keyArray, argArray)
                    : redis.evalsha(script.sha1(), ScriptOutputType.MULTI, keyArray, argArray);
              } catch (RedisNoScriptException e) {
                return readOnly
                    ? redis.evalReadOnly(
                        script.source(), ScriptOutputType.MULTI, keyArray, argArray)
                    : redis.eval(script.source(), ScriptOutputType.MULTI, keyArray, argArray);
              }
            });
    if (!reply.isEmpty() && "WRONGTYPE".equals(reply.get(0))) {
      throw errors.wrongType(action, reply.get(1), reply.get(2), reply.get(3));
    }
    if (!reply.isEmpty() && "NOPERM".equals(reply.get(0))) {
      throw errors.scriptDenied(action, reply.get(1), reply.get(2));
    }
    return reply;
  }

  /**
   * Forgets a broken connection, so the next request opens a new one. Only the thread that forgets
   * it closes it: Lettuce warns about every close of a connection closed already.
   */
  private synchronized void discard(StatefulRedisConnection<String, String> broken) {
    if (connection == broken) {
      connection = null;
      broken.closeAsync();
    }
  }

  private synchronized StatefulRedisConnection<String, String> connection(String action) {
    if (connection != null && !connection.isOpen()) {
      discard(connection);
    }
    if (connection == null) {
      try {
        connection = connectOnce();
        // Load every script up front: a NOSCRIPT answer that comes after a timeout could not
        // be followed by the fallback EVAL, and the commit would be lost for no reason.
        for (CatalogScript script : CatalogScript.values()) {
          connection.sync().scriptLoad(script.script().source());
        }
        for (RedisScript script : scripts) {
          connection.sync().scriptLoad(script.source());
        }
      } catch (RedisCommandExecutionException e) {
        discardFailed();
        throw errors.serverError(action, e);
      } catch (RedisException e) {
        discardFailed();
        throw errors.unreachable(action, e);
      }
    }
    return connection;
  }

  /** Closes a connection that opened but could not be set up (its scripts not loaded). */
  private synchronized void discardFailed() {
    if (connection != null) {
      discard(connection);
    }
  }

  /**
   * Opens a connection. Lettuce sometimes loses the server's answer to a failed handshake (a
   * refused password, say) and reports only {@code RedisHandshakeHandler not registered}; another
   * attempt (up to three) then brings the real answer, so the error can name the cause.
   */
  private StatefulRedisConnection<String, String> connectOnce() {
    for (int attempt = 1; ; attempt++) {
      try {
        StatefulRedisConnection<String, String> opened = client.connect(StringCodec.UTF8);
        try {
          // named after the handshake, so that a refused password is the handshake's only error
          opened.sync().clientSetname(clientName);
        } catch (RuntimeException e) {
          opened.close();
          throw e;
        }
        return opened;
      } catch (RedisConnectionException e) {
        if (attempt >= 3 || !RedisErrors.lostHandshakeAnswer(e)) {
          throw e;
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
