package io.icecap.jdbc;

import io.icecap.client.Consistency;
import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapException;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Icecap's JDBC URLs: {@code jdbc:icecap:local:<dir>} for everything in one local directory (an
 * embedded Redis), and {@code jdbc:icecap:redis://host:port[/db]?warehouse=...} (or {@code
 * rediss://}) for a Redis and a warehouse that exist. Settings come after {@code ?} as {@code
 * key=value} pairs joined by {@code &}, or as connection properties; the URL wins.
 */
final class JdbcUrl {
  static final String PREFIX = "jdbc:icecap:";

  /** The settings a URL takes, with their meaning (also {@code Driver.getPropertyInfo}). */
  static final Map<String, String> SETTINGS = settings();

  private JdbcUrl() {}

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("warehouse", "where tables live: a local directory or s3://bucket/prefix");
    settings.put(
        "home",
        "a local directory for this process's cache and working files (default: one under the"
            + " temporary directory, per process)");
    settings.put("catalog", "the catalog's name (default icecap)");
    settings.put("schema", "the namespace of table names written without one");
    settings.put("consistency", "what queries see: snapshot (default) or latest");
    settings.put(
        "workers", "threads applying writes in this process; 0 leaves that to icecap worker");
    settings.put("cacheBytes", "the most bytes of table files the read cache keeps");
    settings.put("writeTimeoutMs", "how long a write waits to be applied");
    settings.put(
        "localFileAccess",
        "true lets queries read local files as DuckDB's file functions do (default false: only"
            + " the lake tables they name)");
    settings.put("user", "the Redis ACL user");
    settings.put("password", "the Redis password");
    return settings;
  }

  static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** The configuration a URL and its connection properties name. */
  static IcecapConfig parse(String url, Properties info) throws SQLException {
    try {
      return config(url, info);
    } catch (IcecapException e) {
      throw JdbcErrors.of(e);
    }
  }

  private static IcecapConfig config(String url, Properties info) {
    String rest = url.substring(PREFIX.length());
    int query = rest.indexOf('?');
    String target = query < 0 ? rest : rest.substring(0, query);
    Map<String, String> values = new LinkedHashMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        values.put(name, info.getProperty(name));
      }
    }
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw invalid(url, "setting '%s' is not key=value", pair);
        }
        values.put(decode(url, pair.substring(0, equals)), decode(url, pair.substring(equals + 1)));
      }
    }
    IcecapConfig config;
    if (target.startsWith("local:")) {
      String dir = target.substring("local:".length());
      if (dir.isBlank()) {
        throw invalid(url, "no directory after local:; write jdbc:icecap:local:/path/to/dir");
      }
      if (values.containsKey("warehouse")) {
        throw invalid(url, "a local: URL keeps its warehouse in its directory; remove warehouse=");
      }
      config = IcecapConfig.local(Path.of(dir));
      if (values.containsKey("home")) {
        throw invalid(url, "a local: URL keeps its files in its directory; remove home=");
      }
    } else if (target.startsWith("redis://")
        || target.startsWith("rediss://")
        || target.startsWith("redis-socket://")) {
      String warehouse = values.get("warehouse");
      if (warehouse == null || warehouse.isBlank()) {
        throw invalid(
            url, "no warehouse: add ?warehouse=s3://bucket/prefix (or a local directory)");
      }
      String redis = target.endsWith("/") && !target.endsWith("//") ? chop(target) : target;
      String home = values.get("home");
      config =
          IcecapConfig.redis(
              redis, warehouse, home == null || home.isBlank() ? defaultHome() : Path.of(home));
    } else {
      throw invalid(
          url,
          "it names neither local:<dir> nor redis://host:port; write"
              + " jdbc:icecap:local:/path/to/dir or jdbc:icecap:redis://host:6379/?warehouse=...");
    }
    Map<String, String> catalogProperties = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      switch (key) {
        case "warehouse", "home" -> {}
        case "catalog" -> config = config.withCatalogName(value);
        case "schema" -> config = config.withDefaultNamespace(value.isBlank() ? null : value);
        case "consistency" -> config = config.withConsistency(consistency(url, value));
        case "workers" -> config = config.withWorkers((int) number(url, key, value, 0, 1024));
        case "cacheBytes" ->
            config = config.withCacheBytes(number(url, key, value, 0, Long.MAX_VALUE));
        case "writeTimeoutMs" ->
            config =
                config.withWriteTimeout(
                    Duration.ofMillis(number(url, key, value, 1, Long.MAX_VALUE)));
        case "localFileAccess" -> config = config.withLocalFileAccess(flag(url, key, value));
        case "user" -> putIfSet(catalogProperties, "redis.user", value);
        case "password" -> putIfSet(catalogProperties, "redis.password", value);
        default -> {
          if (!key.contains(".")) {
            throw invalid(
                url,
                "unknown setting '%s'; the settings are %s, and catalog properties with a dot"
                    + " (s3.endpoint, redis.timeout-ms, ...)",
                key,
                String.join(", ", SETTINGS.keySet()));
          }
          catalogProperties.put(key, value);
        }
      }
    }
    return config.withCatalogProperties(catalogProperties);
  }

  static DriverPropertyInfo[] propertyInfo(Properties info) {
    return SETTINGS.entrySet().stream()
        .map(
            setting -> {
              DriverPropertyInfo property =
                  new DriverPropertyInfo(
                      setting.getKey(), info == null ? null : info.getProperty(setting.getKey()));
              property.description = setting.getValue();
              property.required = false;
              if (setting.getKey().equals("consistency")) {
                property.choices = new String[] {"snapshot", "latest"};
              }
              return property;
            })
        .toArray(DriverPropertyInfo[]::new);
  }

  /** One home per process: the read cache's directory belongs to one process. */
  private static Path defaultHome() {
    String process = ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9]", "-");
    return Path.of(System.getProperty("java.io.tmpdir"), "icecap-jdbc-" + process);
  }

  private static boolean flag(String url, String key, String value) {
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(url, "%s '%s' is neither true nor false", key, value);
    }
  }

  private static Consistency consistency(String url, String value) {
    for (Consistency level : Consistency.values()) {
      if (level.name().equalsIgnoreCase(value.trim())) {
        return level;
      }
    }
    throw invalid(url, "consistency '%s' is neither snapshot nor latest", value);
  }

  private static long number(String url, String key, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(url, "%s '%s' is not a whole number", key, value);
    }
    if (parsed < min || parsed > max) {
      throw invalid(url, "%s %d is out of range [%d, %d]", key, parsed, min, max);
    }
    return parsed;
  }

  private static void putIfSet(Map<String, String> properties, String key, String value) {
    if (value != null && !value.isEmpty()) {
      properties.put(key, value);
    }
  }

  private static String decode(String url, String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(url, "'%s' is not URL-encoded correctly (%s)", text, e.getMessage());
    }
  }

  private static String chop(String text) {
    return text.substring(0, text.length() - 1);
  }

  private static IcecapException invalid(String url, String problem, Object... args) {
    return new IcecapException(
        ErrorCode.INVALID_CONFIGURATION,
        "Malformed Icecap JDBC URL %s: %s",
        redact(url),
        String.format(Locale.ROOT, problem, args));
  }

  /** The URL without a password in its user information or settings. */
  static String redact(String url) {
    return url.replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@")
        .replaceAll("(?i)([?&](password|[a-z0-9.-]*secret[a-z0-9.-]*)=)[^&]*", "$1***");
  }
}
