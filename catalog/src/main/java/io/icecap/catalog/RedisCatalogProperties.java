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

  /**
   * The name of the Icecap catalog to open: the name Icecap's SDK, workers and {@code icecap}
   * command give the catalog (their {@code catalog} setting, by default {@code icecap}), which is
   * part of every Redis key of the catalog. An engine that names its catalogs itself (Spark's
   * {@code spark.sql.catalog.<name>}, Flink's {@code CREATE CATALOG <name>}) sets it so that its
   * own name for the catalog does not matter. Default: the name the catalog is initialized with.
   */
  public static final String CATALOG_NAME = "icecap.catalog-name";

  /** The longest name {@link #CATALOG_NAME} takes, in characters. */
  public static final int CATALOG_NAME_MAX_LENGTH = 200;

  private RedisCatalogProperties() {}

  /**
   * The name of the catalog in Redis keys: {@link #CATALOG_NAME} when it is set, else the name the
   * catalog is initialized with.
   *
   * @param name the name the catalog is initialized with (the engine's name for it)
   * @param properties the catalog's properties
   * @throws IllegalArgumentException when {@link #CATALOG_NAME} is blank, has white space at either
   *     end or control characters, or is longer than {@link #CATALOG_NAME_MAX_LENGTH}
   */
  public static String catalogName(String name, Map<String, String> properties) {
    String configured = properties.get(CATALOG_NAME);
    if (configured == null) {
      return name;
    }
    Checks.checkArgument(
        !configured.isBlank(),
        "Invalid catalog property %s='%s': give the name of the Icecap catalog to open (the"
            + " catalog setting of Icecap's sessions, by default icecap), or leave it out to use"
            + " the engine's name for the catalog, %s",
        CATALOG_NAME,
        configured,
        name);
    Checks.checkArgument(
        configured.strip().equals(configured),
        "Invalid catalog property %s='%s': the name starts or ends with white space; remove it",
        CATALOG_NAME,
        configured);
    int control = configured.codePoints().filter(Character::isISOControl).findFirst().orElse(-1);
    Checks.checkArgument(
        control < 0,
        "Invalid catalog property %s: the name has a control character (U+%04X); use printable"
            + " characters",
        CATALOG_NAME,
        control);
    Checks.checkArgument(
        configured.length() <= CATALOG_NAME_MAX_LENGTH,
        "Invalid catalog property %s: the name has %s characters, more than %s",
        CATALOG_NAME,
        configured.length(),
        CATALOG_NAME_MAX_LENGTH);
    return configured;
  }

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
