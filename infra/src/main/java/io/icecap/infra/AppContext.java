package io.icecap.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads {@link IcecapStackProps} from CDK context ({@code -c redis=elasticache} on the command line
 * or the {@code context} of cdk.json). Every key is optional; relative paths are resolved against
 * the infra directory, where cdk.json runs the app.
 */
final class AppContext {

  static final String CODE = "code";
  static final String ARCHITECTURE = "architecture";
  static final String REDIS = "redis";
  static final String REDIS_URI = "redisUri";
  static final String REDIS_NODE_TYPE = "redisNodeType";
  static final String MEMORY_SIZE = "memorySize";
  static final String TIMEOUT_SECONDS = "timeoutSeconds";
  static final String EPHEMERAL_STORAGE_SIZE = "ephemeralStorageSize";
  static final String CATALOG = "catalog";
  static final String CACHE_BYTES = "cacheBytes";
  static final String SWEEPER = "sweeper";

  private final Function<String, Object> context;

  private AppContext(Function<String, Object> context) {
    this.context = context;
  }

  /** Props from the context, with the worker-function build's zip as the default code. */
  static IcecapStackProps props(Function<String, Object> context, Path infraDir) {
    return new AppContext(context).props(infraDir);
  }

  /** Where the worker-function build leaves the Lambda zip for an architecture. */
  static Path defaultCode(Path infraDir, WorkerArchitecture architecture) {
    return infraDir
        .resolve("../worker-function/target")
        .resolve(
            String.format(
                "icecap-worker-function-%s-lambda-%s.zip", version(), architecture.contextName()))
        .normalize();
  }

  private IcecapStackProps props(Path infraDir) {
    WorkerArchitecture architecture =
        WorkerArchitecture.parse(string(ARCHITECTURE, WorkerArchitecture.X86_64.contextName()));
    String code = string(CODE, null);
    IcecapStackProps.Builder builder =
        IcecapStackProps.builder(
                code == null
                    ? defaultCode(infraDir, architecture)
                    : infraDir.resolve(code).normalize())
            .architecture(architecture)
            .redis(RedisKind.parse(string(REDIS, RedisKind.ELASTICACHE.contextName())))
            .redisUri(string(REDIS_URI, null))
            .redisNodeType(string(REDIS_NODE_TYPE, null))
            .catalog(string(CATALOG, "icecap"))
            .sweeper(bool(SWEEPER, true));
    Long memorySize = number(MEMORY_SIZE);
    if (memorySize != null) {
      builder.memorySize(Math.toIntExact(memorySize));
    }
    Long timeoutSeconds = number(TIMEOUT_SECONDS);
    if (timeoutSeconds != null) {
      builder.timeoutSeconds(Math.toIntExact(timeoutSeconds));
    }
    Long ephemeralStorageSize = number(EPHEMERAL_STORAGE_SIZE);
    if (ephemeralStorageSize != null) {
      builder.ephemeralStorageSize(Math.toIntExact(ephemeralStorageSize));
    }
    Long cacheBytes = number(CACHE_BYTES);
    if (cacheBytes != null) {
      builder.cacheBytes(cacheBytes);
    }
    return builder.build();
  }

  private String string(String key, String defaultValue) {
    Object value = context.apply(key);
    return value == null ? defaultValue : value.toString().trim();
  }

  private boolean bool(String key, boolean defaultValue) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(
        String.format("Context %s must be true or false, got '%s'", key, value));
  }

  private Long number(String key) {
    String value = string(key, null);
    if (value == null) {
      return null;
    }
    try {
      // cdk.json numbers arrive from jsii as doubles, such as 4096.0
      double number = Double.parseDouble(value);
      if (number != Math.rint(number) || Double.isInfinite(number)) {
        throw new NumberFormatException(value);
      }
      if (Math.abs(number) > Integer.MAX_VALUE && !key.equals(CACHE_BYTES)) {
        throw new NumberFormatException(value);
      }
      return (long) number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format("Context %s must be a whole number, got '%s'", key, value), e);
    }
  }

  private static String version() {
    try (InputStream in = AppContext.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "io/icecap/infra/build.properties is missing: run the app through Maven (cdk.json does)");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
