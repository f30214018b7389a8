package io.icecap.catalog;

import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.util.PropertyUtil;

/** The properties a {@link RedisCatalog} reads, besides Iceberg's usual catalog properties. */
public final class RedisCatalogProperties {
  /**
   * The Redis server: {@code redis://[user:password@]host[:port][/database]}, {@code rediss://} for
   * TLS, or {@code redis-socket:///path/to/redis.sock}. Required.
   */
  public static final String URI = "uri";

  /** The Redis user (ACL), when it is not given in {@link #URI}. */
  public static final String USER = "redis.user";

  /** The Redis password, when it is not given in {@link #URI}. Secret: never logged. */
  public static final String PASSWORD = "redis.password";

  /** How long a Redis command may take before it counts as failed, in milliseconds. */
  public static final String TIMEOUT_MS = "redis.timeout-ms";

  public static final long TIMEOUT_MS_DEFAULT = 10_000;

  /** How long connecting to Redis may take, in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS = "redis.connect-timeout-ms";

  public static final long CONNECT_TIMEOUT_MS_DEFAULT = 5_000;

  /**
   * For {@code rediss://}: a PEM file of the certificate authorities to trust instead of the JVM's
   * default trust store.
   */
  public static final String TLS_TRUSTED_CERTIFICATES = "redis.tls.trusted-certificates";

  /**
   * For {@code rediss://}: how the server's certificate is checked, {@code full} (default: chain
   * and host name), {@code ca} (chain only) or {@code none}.
   */
  public static final String TLS_VERIFY_PEER = "redis.tls.verify-peer";

  private RedisCatalogProperties() {}

  static Duration duration(Map<String, String> properties, String key, long defaultMillis) {
    long millis;
    try {
      millis = PropertyUtil.propertyAsLong(properties, key, defaultMillis);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid catalog property %s=%s: expected a whole number of milliseconds",
              key, properties.get(key)),
          e);
    }
    if (millis <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid catalog property %s=%s: must be a positive number of milliseconds",
              key, millis));
    }
    return Duration.ofMillis(millis);
  }
}
