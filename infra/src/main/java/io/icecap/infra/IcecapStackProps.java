package io.icecap.infra;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an {@link IcecapStack} deploys. Build with {@link #builder(Path)}; the compact constructor
 * rejects settings Lambda or Redis would refuse at deploy time, naming the prop and what it
 * accepts.
 *
 * @param code the worker-function Lambda zip
 * @param architecture the instruction set the zip was built for
 * @param redis where Redis comes from
 * @param redisUri the Redis URI when {@code redis} is {@link RedisKind#EXTERNAL}, otherwise null
 * @param redisNodeType the ElastiCache node type; null for an external Redis
 * @param memorySize the function's memory in MB
 * @param timeoutSeconds the function's timeout
 * @param ephemeralStorageSize the function's {@code /tmp} in MiB, which holds the partition cache
 * @param catalog the Icecap catalog name
 * @param cacheBytes how much of {@code /tmp} the partition cache may fill
 * @param sweeper whether a schedule invokes the function every minute with {@code {"sweep": true}}
 */
public record IcecapStackProps(
    Path code,
    WorkerArchitecture architecture,
    RedisKind redis,
    String redisUri,
    String redisNodeType,
    int memorySize,
    int timeoutSeconds,
    int ephemeralStorageSize,
    String catalog,
    long cacheBytes,
    boolean sweeper) {

  static final long MIB = 1024L * 1024L;
  static final String DEFAULT_REDIS_NODE_TYPE = "cache.t4g.small";
  static final int MIN_MEMORY_SIZE = 512;
  static final int MAX_MEMORY_SIZE = 10_240;
  static final int MAX_TIMEOUT_SECONDS = 900;
  static final int MIN_EPHEMERAL_STORAGE_SIZE = 512;
  static final int MAX_EPHEMERAL_STORAGE_SIZE = 10_240;

  public IcecapStackProps {
    requireNonNull(code, "code is null");
    requireNonNull(architecture, "architecture is null");
    requireNonNull(redis, "redis is null");
    requireNonNull(catalog, "catalog is null");
    if (!Files.isRegularFile(code)) {
      throw new IllegalArgumentException(
          String.format(
              "code %s is not a file: build the worker-function zip from the repository root with"
                  + " './mvnw -B -q -pl worker-function -am package -DskipTests'"
                  + " or pass the zip with -c code=<path>",
              code));
    }
    if (redis.managed()) {
      if (redisUri != null) {
        throw new IllegalArgumentException(
            String.format(
                "redisUri is only used with redis=external; redis=%s creates its own Redis",
                redis.contextName()));
      }
      if (redisNodeType == null || redisNodeType.isBlank()) {
        throw new IllegalArgumentException(
            String.format("redisNodeType is required with redis=%s", redis.contextName()));
      }
    } else {
      if (redisUri == null
          || !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://"))) {
        throw new IllegalArgumentException(
            String.format(
                "redis=external needs redisUri, a redis:// or rediss:// URI (got %s):"
                    + " pass -c redisUri=redis://host:6379",
                redisUri == null ? "none" : "'" + redisUri + "'"));
      }
      if (redisNodeType != null) {
        throw new IllegalArgumentException(
            "redisNodeType is not used with redis=external; the stack creates no Redis nodes");
      }
    }
    checkRange("memorySize", memorySize, MIN_MEMORY_SIZE, MAX_MEMORY_SIZE, "MB");
    checkRange("timeoutSeconds", timeoutSeconds, 1, MAX_TIMEOUT_SECONDS, "s");
    checkRange(
        "ephemeralStorageSize",
        ephemeralStorageSize,
        MIN_EPHEMERAL_STORAGE_SIZE,
        MAX_EPHEMERAL_STORAGE_SIZE,
        "MiB");
    if (catalog.isBlank()) {
      throw new IllegalArgumentException("catalog is blank: name the Icecap catalog, e.g. icecap");
    }
    if (cacheBytes <= 0 || cacheBytes >= ephemeralStorageSize * MIB) {
      throw new IllegalArgumentException(
          String.format(
              "cacheBytes %d does not fit ephemeralStorageSize %d MiB: use 1 to %d bytes,"
                  + " leaving room in /tmp for the DuckDB files being written",
              cacheBytes, ephemeralStorageSize, ephemeralStorageSize * MIB - 1));
    }
  }

  /** The ICECAP_CACHE_BYTES default: four fifths of /tmp, 8 GiB of the largest 10 GiB. */
  static long defaultCacheBytes(int ephemeralStorageSize) {
    return ephemeralStorageSize * MIB / 5 * 4;
  }

  private static void checkRange(String prop, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format("%s %d %s is out of range: use %d to %d", prop, value, unit, min, max));
    }
  }

  /** Props with the defaults: ElastiCache, x86_64, 4096 MB, 300 s, 10240 MiB of /tmp, a sweeper. */
  public static Builder builder(Path code) {
    return new Builder(code);
  }

  /** Builds {@link IcecapStackProps}; every setting but the code has a default. */
  public static final class Builder {
    private final Path code;
    private WorkerArchitecture architecture = WorkerArchitecture.X86_64;
    private RedisKind redis = RedisKind.ELASTICACHE;
    private String redisUri;
    private String redisNodeType;
    private int memorySize = 4096;
    private int timeoutSeconds = 300;
    private int ephemeralStorageSize = MAX_EPHEMERAL_STORAGE_SIZE;
    private String catalog = "icecap";
    private Long cacheBytes;
    private boolean sweeper = true;

    private Builder(Path code) {
      this.code = requireNonNull(code, "code is null");
    }

    public Builder architecture(WorkerArchitecture architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder redis(RedisKind redis) {
      this.redis = redis;
      return this;
    }

    /** The URI of an external Redis, such as {@code redis://host.docker.internal:6379}. */
    public Builder redisUri(String redisUri) {
      this.redisUri = redisUri;
      return this;
    }

    /** Defaults to cache.t4g.small for ElastiCache. */
    public Builder redisNodeType(String redisNodeType) {
      this.redisNodeType = redisNodeType;
      return this;
    }

    public Builder memorySize(int memorySize) {
      this.memorySize = memorySize;
      return this;
    }

    public Builder timeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      return this;
    }

    public Builder ephemeralStorageSize(int ephemeralStorageSize) {
      this.ephemeralStorageSize = ephemeralStorageSize;
      return this;
    }

    public Builder catalog(String catalog) {
      this.catalog = catalog;
      return this;
    }

    /** Defaults to four fifths of the ephemeral storage. */
    public Builder cacheBytes(long cacheBytes) {
      this.cacheBytes = cacheBytes;
      return this;
    }

    public Builder sweeper(boolean sweeper) {
      this.sweeper = sweeper;
      return this;
    }

    public IcecapStackProps build() {
      String nodeType = redisNodeType;
      if (nodeType == null && redis == RedisKind.ELASTICACHE) {
        nodeType = DEFAULT_REDIS_NODE_TYPE;
      }
      return new IcecapStackProps(
          code,
          architecture,
          redis,
          redisUri,
          nodeType,
          memorySize,
          timeoutSeconds,
          ephemeralStorageSize,
          catalog,
          cacheBytes != null ? cacheBytes : defaultCacheBytes(ephemeralStorageSize),
          sweeper);
    }
  }
}
