package io.icecap.catalog;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How to reach the catalog's Redis, read from the catalog properties: the server, credentials,
 * timeouts and TLS. Every malformed property is refused here, before any connection is tried.
 *
 * @param uri the server, with credentials and the command timeout
 * @param options the client options: no automatic reconnect (see {@link RedisSession})
 * @param server the server as shown in messages, never with credentials
 */
record RedisConnectionSettings(RedisURI uri, ClientOptions options, String server) {
  private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-socket");

  /**
   * Reads the settings from catalog properties.
   *
   * @throws IllegalArgumentException when a property is missing or malformed
   */
  static RedisConnectionSettings from(Map<String, String> properties) {
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
    // no CLIENT SETINFO at connect: Redis 7.2 added it, and the ACL rules of the Icecap roles
    // (AclRole) could not allow a subcommand that older servers refuse to name
    uri.setLibraryName("");
    uri.setLibraryVersion("");

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
    return new RedisConnectionSettings(uri, options.build(), display(uri));
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
