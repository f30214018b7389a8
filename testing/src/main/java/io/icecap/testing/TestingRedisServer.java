package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process on a free port of 127.0.0.1, for tests.
 *
 * <p>The binary is the {@code redis-server} on {@code PATH} if there is one, else the Linux (or
 * macOS) binary shipped inside the embedded-redis jar. The server can be stopped gracefully, killed
 * with SIGKILL and restarted on the same port and data directory, so a test can observe what
 * survived a crash.
 *
 * <p>With {@link Builder#tls(boolean) tls(true)} the server speaks only TLS ({@code rediss://}),
 * with a self-signed certificate for {@code 127.0.0.1} and {@code localhost} whose PEM file is
 * {@link #tlsCertificate()}.
 *
 * <pre>{@code
 * try (TestingRedisServer redis = TestingRedisServer.builder().appendOnly(true).build().start()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 * }
 * }</pre>
 */
public final class TestingRedisServer implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(TestingRedisServer.class);

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /** A TLS probe also pays for the handshake, and the JVM's first one loads a lot of classes. */
  private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_INTERVAL_MILLIS = 20;
  private static final int LOG_TAIL_LINES = 40;
  private static final String CONFIG_FILE = "icecap-redis.conf";
  private static final String LOG_FILE = "redis-server.log";

  /** Processes still running; killed by a shutdown hook if a test forgets to close them. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "icecap-redis-server-reaper"));
  }

  private final int port;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final boolean appendOnly;
  private final String password;
  private final Map<String, String> aclUsers;
  private final Map<String, String> aclRules;
  private final List<String> extraConfig;
  private final boolean tls;

  private RedisTlsCertificate tlsMaterial;
  private Process process;
  private boolean paused;
  private String version;
  private boolean closed;

  private TestingRedisServer(Builder builder, int port, Path dataDir, boolean ownsDataDir) {
    this.port = port;
    this.dataDir = requireNonNull(dataDir, "dataDir");
    this.ownsDataDir = ownsDataDir;
    this.appendOnly = builder.appendOnly;
    this.password = builder.password;
    this.aclUsers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.aclUsers));
    this.aclRules = Collections.unmodifiableMap(new LinkedHashMap<>(builder.aclRules));
    this.extraConfig = List.copyOf(builder.extraConfig);
    this.tls = builder.tls;
  }

  /** Returns a builder for an unstarted server. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts {@code redis-server} and waits until it answers PING (at most 10 s), over TLS if {@link
   * Builder#tls(boolean)} is on; the TLS certificate is generated on the first start.
   *
   * @return this server
   * @throws IllegalStateException if the server is running or closed, or did not come up (for
   *     example because the binary was built without TLS support); the message then holds the tail
   *     of its log
   */
  public synchronized TestingRedisServer start() {
    if (closed) {
      throw new IllegalStateException("Redis server on port " + port + " is closed");
    }
    if (isRunning()) {
      throw new IllegalStateException("Redis server is already running on port " + port);
    }
    if (process != null) {
      forget(process);
    }
    if (tls) {
      tlsMaterial();
    }
    writeConfig();
    Path binary = RedisBinary.resolve();
    ProcessBuilder processBuilder =
        new ProcessBuilder(binary.toString(), configFile().toString())
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    Process started;
    try {
      started = processBuilder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not launch " + binary + "; check that it is executable on this machine", e);
    }
    LIVE.add(started);
    process = started;
    awaitReady(started, binary);
    LOG.debug(
        "redis-server {} ({}) is up on {}:{}{}, data in {}",
        version,
        binary,
        HOST,
        port,
        tls ? " (TLS only)" : "",
        dataDir);
    return this;
  }

  /**
   * Stops the server gracefully (SIGTERM) and waits for it to exit; does nothing if it is not
   * running. A server that does not exit within 10 s is killed.
   */
  public synchronized void stop() {
    Process current = process;
    if (current == null) {
      return;
    }
    if (paused) {
      // a stopped process keeps SIGTERM pending until it runs again
      resume();
    }
    current.destroy();
    if (!waitForExit(current, STOP_TIMEOUT)) {
      LOG.warn(
          "redis-server on port {} ignored SIGTERM for {} s; killing it",
          port,
          STOP_TIMEOUT.toSeconds());
      current.destroyForcibly();
      waitForExit(current, STOP_TIMEOUT);
    }
    forget(current);
  }

  /**
   * Kills the server with SIGKILL, as a crash would, and waits for it to exit.
   *
   * @throws IllegalStateException if the server is not running
   */
  public synchronized void kill() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException(
          "kill() needs a running Redis server, but the one on port " + port + " is not running");
    }
    paused = false;
    current.destroyForcibly();
    if (!waitForExit(current, STOP_TIMEOUT)) {
      throw new IllegalStateException(
          "redis-server (pid " + current.pid() + ") did not exit within 10 s of SIGKILL");
    }
    forget(current);
  }

  /**
   * Freezes the server with SIGSTOP, as a long pause of its host would: it keeps its connections
   * but answers nothing (clients time out) until {@link #resume()}, when it runs what it was sent.
   *
   * @throws IllegalStateException if the server is not running or is paused already
   */
  public synchronized void pause() {
    if (paused) {
      throw new IllegalStateException("The Redis server on port " + port + " is paused already");
    }
    signal("STOP");
    paused = true;
  }

  /** Returns whether the server is frozen by {@link #pause()}. */
  public synchronized boolean isPaused() {
    return paused;
  }

  /**
   * Lets a server frozen by {@link #pause()} run again (SIGCONT).
   *
   * @throws IllegalStateException if the server is not paused
   */
  public synchronized void resume() {
    if (!paused) {
      throw new IllegalStateException("The Redis server on port " + port + " is not paused");
    }
    signal("CONT");
    paused = false;
  }

  private void signal(String signal) {
    Process current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException(
          "Cannot send SIG" + signal + " to the Redis server on port " + port + ": not running");
    }
    List<String> command =
        new ArrayList<>(List.of("kill", "-" + signal, Long.toString(current.pid())));
    // a wrapper script may have started the server as its child
    current.descendants().forEach(child -> command.add(Long.toString(child.pid())));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kill.waitFor() != 0) {
        throw new IllegalStateException(
            "Cannot send SIG"
                + signal
                + " to the Redis server on port "
                + port
                + ": "
                + said.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kill -" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling the Redis server", e);
    }
  }

  /**
   * Starts the server again on the same port and data directory, stopping it gracefully first if it
   * is running. After {@link #kill()} this shows what a crashed server recovers.
   *
   * @return this server
   */
  public synchronized TestingRedisServer restart() {
    stop();
    return start();
  }

  /**
   * Stops the server if it is running and deletes the data directory if this fixture created it (a
   * directory given to {@link Builder#dataDir(Path)} is kept, minus the generated config file; its
   * TLS certificate and key stay, for the next server on that directory).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    if (ownsDataDir) {
      TempDirs.deleteRecursively(dataDir);
    } else {
      try {
        Files.deleteIfExists(configFile());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete " + configFile(), e);
      }
    }
  }

  /** Returns the TCP port, fixed for the life of this object. */
  public int port() {
    return port;
  }

  /** Returns the host the server listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /**
   * Returns {@code redis://127.0.0.1:<port>}, or {@code rediss://127.0.0.1:<port>} when TLS is on,
   * without credentials.
   */
  public String uri() {
    return scheme() + HOST + ":" + port;
  }

  /**
   * Returns {@code redis://<user>:<password>@127.0.0.1:<port>} ({@code rediss://} when TLS is on)
   * with both parts URL-encoded. Use user {@code default} for the password set with {@link
   * Builder#password(String)}.
   */
  public String uri(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    return scheme() + encode(user) + ":" + encode(password) + "@" + HOST + ":" + port;
  }

  /** Returns whether the server speaks TLS only, as set with {@link Builder#tls(boolean)}. */
  public boolean isTls() {
    return tls;
  }

  /**
   * Returns the PEM file ({@code redis.crt} in the data directory) of the server's self-signed
   * certificate; a client that trusts it can verify the server fully, host name {@code 127.0.0.1}
   * or {@code localhost} included. The certificate is generated by the first call or start.
   *
   * @throws IllegalStateException if TLS is off, or the certificate could not be made
   */
  public synchronized Path tlsCertificate() {
    if (!tls) {
      throw new IllegalStateException(
          "The Redis server on port "
              + port
              + " does not use TLS, so it has no certificate; build it with tls(true)");
    }
    return tlsMaterial().certificateFile();
  }

  /** Returns the data directory, which holds the AOF, the generated config and the log. */
  public Path dataDir() {
    return dataDir;
  }

  /** Returns the file the server's stdout and stderr are appended to. */
  public Path logFile() {
    return dataDir.resolve(LOG_FILE);
  }

  /** Returns whether the server process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Returns the server's version from {@code INFO server}, e.g. {@code 6.2.11}.
   *
   * @throws IllegalStateException if the server has never been started
   */
  public synchronized String version() {
    if (version == null) {
      throw new IllegalStateException(
          "The Redis version is known once the server has started; call start() first");
    }
    return version;
  }

  /** Returns the password of the default user, or {@code null} when none is set. */
  String password() {
    return password;
  }

  /** Returns the TLS client socket factory trusting only this server, or null if TLS is off. */
  synchronized SSLSocketFactory tlsSocketFactory() {
    return tls ? tlsMaterial().socketFactory() : null;
  }

  /**
   * Opens a raw RESP connection (over TLS when TLS is on), authenticated as the default user if a
   * password is set.
   */
  RespConnection connect() {
    RespConnection connection =
        RespConnection.open(HOST, port, CONNECT_TIMEOUT, tlsSocketFactory());
    if (password != null) {
      try {
        connection.call("AUTH", password);
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  private synchronized RedisTlsCertificate tlsMaterial() {
    if (tlsMaterial == null) {
      tlsMaterial = RedisTlsCertificate.inDir(dataDir);
    }
    return tlsMaterial;
  }

  private String scheme() {
    return tls ? "rediss://" : "redis://";
  }

  private void awaitReady(Process started, Path binary) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    SSLSocketFactory socketFactory = tls ? tlsMaterial().socketFactory() : null;
    Duration probeTimeout = tls ? TLS_PROBE_TIMEOUT : PROBE_TIMEOUT;
    RuntimeException lastError = null;
    while (true) {
      if (!started.isAlive()) {
        forget(started);
        String tail = logTail();
        if (tls && lacksTls(tail)) {
          throw new IllegalStateException(
              "redis-server ("
                  + binary
                  + ") does not support TLS: it rejected the tls-* settings of "
                  + configFile()
                  + ". Put a redis-server built with TLS (BUILD_TLS=yes) on PATH, or use a server"
                  + " without tls(true); see "
                  + logFile()
                  + tail);
        }
        throw new IllegalStateException(
            "redis-server ("
                + binary
                + ") exited with code "
                + started.exitValue()
                + " before answering PING on "
                + HOST
                + ":"
                + port
                + (tls ? " over TLS" : "")
                + "; see "
                + logFile()
                + tail);
      }
      try (RespConnection connection =
          RespConnection.open(HOST, port, probeTimeout, socketFactory)) {
        if (password != null) {
          connection.call("AUTH", password);
        }
        if ("PONG".equals(connection.call("PING"))) {
          String info = String.valueOf(connection.call("INFO", "server"));
          if (isOurs(started, infoField(info, "process_id"))) {
            version = infoField(info, "redis_version");
            return;
          }
          lastError =
              new IllegalStateException(
                  "port "
                      + port
                      + " is answered by another Redis (pid "
                      + infoField(info, "process_id")
                      + "), not the one just launched (pid "
                      + started.pid()
                      + ")");
        }
      } catch (UncheckedIOException | RespConnection.ErrorReply e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        started.destroyForcibly();
        waitForExit(started, STOP_TIMEOUT);
        forget(started);
        throw new IllegalStateException(
            "redis-server ("
                + binary
                + ") did not answer PING on "
                + HOST
                + ":"
                + port
                + (tls ? " over TLS" : "")
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s (last error: "
                + lastError
                + "); see "
                + logFile()
                + logTail());
      }
      sleepBriefly();
    }
  }

  /**
   * Whether a redis-server log tail shows that the binary does not know the {@code tls-*}
   * directives, as happens when it was built without TLS (or with TLS as a module not loaded).
   */
  static boolean lacksTls(String logTail) {
    return logTail.contains("Bad directive") && logTail.contains(">>> 'tls-");
  }

  private static boolean isOurs(Process started, String pid) {
    if (pid == null) {
      return false;
    }
    long answering = Long.parseLong(pid);
    return answering == started.pid()
        || started.descendants().anyMatch(handle -> handle.pid() == answering);
  }

  private void forget(Process exited) {
    LIVE.remove(exited);
    if (process == exited) {
      process = null;
    }
  }

  private void writeConfig() {
    StringBuilder config = new StringBuilder();
    config.append("# Generated by io.icecap.testing.TestingRedisServer\n");
    if (tls) {
      config.append("port 0\n");
      config.append("tls-port ").append(port).append('\n');
      config.append("tls-cert-file ").append(quote(absolute(tlsMaterial.certificateFile())));
      config.append('\n');
      config.append("tls-key-file ").append(quote(absolute(tlsMaterial.keyFile()))).append('\n');
      config.append("tls-ca-cert-file ").append(quote(absolute(tlsMaterial.certificateFile())));
      config.append('\n');
      config.append("tls-auth-clients no\n");
    } else {
      config.append("port ").append(port).append('\n');
    }
    config.append("bind ").append(HOST).append('\n');
    config.append("protected-mode no\n");
    config.append("daemonize no\n");
    config.append("dir ").append(quote(dataDir.toAbsolutePath().toString())).append('\n');
    config.append("logfile \"\"\n");
    config.append("save \"\"\n");
    config.append("appendonly ").append(appendOnly ? "yes" : "no").append('\n');
    config.append("appendfsync always\n");
    if (password != null) {
      config.append("requirepass ").append(quote(password)).append('\n');
    }
    aclUsers.forEach(
        (user, userPassword) ->
            config
                .append("user ")
                .append(quote(user))
                .append(" on ")
                .append(quote(">" + userPassword))
                .append(' ')
                .append(aclRules.getOrDefault(user, "~* &* +@all"))
                .append('\n'));
    extraConfig.forEach(line -> config.append(line).append('\n'));
    try {
      Files.writeString(configFile(), config.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the Redis config file " + configFile(), e);
    }
  }

  private static String absolute(Path path) {
    return path.toAbsolutePath().toString();
  }

  private Path configFile() {
    return dataDir.resolve(CONFIG_FILE);
  }

  private String logTail() {
    Path log = logFile();
    if (!Files.exists(log)) {
      return "\n(no log written)";
    }
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "\n--- last lines of " + log + " ---\n" + String.join("\n", tail);
    } catch (IOException | UncheckedIOException e) {
      return "\n(could not read " + log + ": " + e + ")";
    }
  }

  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  /** Quotes a value for redis.conf, whose parser understands C-style escapes in double quotes. */
  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '"' -> quoted.append("\\\"");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean waitForExit(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("Interrupted while waiting for redis-server to exit", e);
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(POLL_INTERVAL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for redis-server to start", e);
    }
  }

  /** Configures a {@link TestingRedisServer}; every option has a sensible default. */
  public static final class Builder {
    private boolean appendOnly;
    private Path dataDir;
    private String password;
    private final Map<String, String> aclUsers = new LinkedHashMap<>();
    private final Map<String, String> aclRules = new LinkedHashMap<>();
    private final List<String> extraConfig = new ArrayList<>();
    private int port;
    private boolean tls;

    private Builder() {}

    /**
     * Turns the append-only file on ({@code appendfsync always}, so every acknowledged write
     * survives a kill) or off (the default: nothing survives a restart).
     */
    public Builder appendOnly(boolean appendOnly) {
      this.appendOnly = appendOnly;
      return this;
    }

    /**
     * Uses {@code dataDir} (created if missing) instead of a fresh temporary directory; it is not
     * deleted on close.
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Requires this password ({@code requirepass}) from the default user. */
    public Builder password(String password) {
      requireNonNull(password, "password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("The Redis password must not be empty");
      }
      this.password = password;
      return this;
    }

    /**
     * Adds an ACL user with full rights ({@code on >password ~* &* +@all}). The default user stays
     * as it is: open, unless {@link #password(String)} is set.
     */
    public Builder aclUser(String user, String password) {
      requireNonNull(user, "user");
      requireNonNull(password, "password");
      if (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "A Redis user name must be non-empty and free of white space, was '" + user + "'");
      }
      aclUsers.put(user, password);
      aclRules.remove(user);
      return this;
    }

    /**
     * Adds an ACL user with the given ACL rules ({@code ~icecap:* +get ...}, as {@code ACL SETUSER}
     * takes them after the password), instead of full rights. The rules go into the configuration
     * file as they are: a rule the server does not know (a selector on Redis 6.2, say) stops it
     * from starting, with its log in the message.
     */
    public Builder aclUser(String user, String password, String rules) {
      requireNonNull(rules, "rules");
      if (rules.isBlank() || rules.contains("\n")) {
        throw new IllegalArgumentException(
            "ACL rules must be one non-blank line, was '" + rules + "'");
      }
      aclUser(user, password);
      aclRules.put(user, rules.strip());
      return this;
    }

    /**
     * Adds a line to the server's configuration file, after the fixture's own settings, for example
     * {@code "cluster-enabled yes"} or {@code "maxmemory-policy allkeys-lru"}.
     */
    public Builder config(String line) {
      requireNonNull(line, "line");
      if (line.isBlank() || line.contains("\n")) {
        throw new IllegalArgumentException(
            "A Redis configuration line must be one non-blank line, was '" + line + "'");
      }
      extraConfig.add(line);
      return this;
    }

    /**
     * Makes the server speak only TLS (off by default): its one port is a {@code tls-port}, {@link
     * TestingRedisServer#uri()} is {@code rediss://}, and the fixture's own connections use TLS.
     * The certificate is self-signed for {@code IP:127.0.0.1} and {@code DNS:localhost}, made once
     * per data directory with the JDK's {@code keytool}; see {@link
     * TestingRedisServer#tlsCertificate()}. Clients do not need a certificate of their own.
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** Uses this port instead of a free one picked on 127.0.0.1. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("Port must be in 1..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Returns an unstarted server; picks the free port and creates the data directory now, so
     * {@link #port()} and {@link #dataDir()} are known before {@link #start()}.
     */
    public TestingRedisServer build() {
      int chosenPort = port != 0 ? port : FreePorts.pick();
      if (dataDir == null) {
        return new TestingRedisServer(this, chosenPort, TempDirs.create("icecap-redis-"), true);
      }
      try {
        Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not create the Redis data directory " + dataDir, e);
      }
      return new TestingRedisServer(this, chosenPort, dataDir, false);
    }
  }
}
