package io.icecap.infra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the stack's Redis comes from. */
public enum RedisKind {
  /**
   * ElastiCache for Redis with cluster mode disabled: a Multi-AZ replication group with an AUTH
   * token in Secrets Manager.
   */
  ELASTICACHE,
  /** A Redis the stack does not create (LocalStack, or one run elsewhere): no VPC, no secret. */
  EXTERNAL;

  /** Why {@code redis=memorydb} is refused. */
  static final String MEMORYDB_REFUSED =
      "redis=memorydb is refused: MemoryDB runs in cluster mode, which Icecap's catalog does"
          + " not support (its scripts span two hash slots); use elasticache (the default) or"
          + " external";

  /** The name used in CDK context and props, such as {@code elasticache}. */
  public String contextName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the stack creates this Redis, and so a VPC and a secret for it. */
  public boolean managed() {
    return this != EXTERNAL;
  }

  /**
   * Parses a context value such as {@code elasticache}, naming the accepted values on failure, and
   * saying why {@code memorydb} is refused.
   */
  public static RedisKind parse(String value) {
    for (RedisKind kind : values()) {
      if (kind.contextName().equals(value)) {
        return kind;
      }
    }
    if ("memorydb".equals(value)) {
      throw new IllegalArgumentException(MEMORYDB_REFUSED);
    }
    throw new IllegalArgumentException(
        String.format("Unknown redis '%s': use one of %s", value, accepted()));
  }

  static String accepted() {
    return Arrays.stream(values()).map(RedisKind::contextName).collect(Collectors.joining(", "));
  }
}
