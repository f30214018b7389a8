package io.icecap.infra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the stack's Redis comes from. */
public enum RedisKind {
  /** Amazon MemoryDB: durable, TLS, an ACL user whose password is in Secrets Manager. */
  MEMORYDB,
  /** ElastiCache for Redis: a multi-AZ replication group with an AUTH token in Secrets Manager. */
  ELASTICACHE,
  /** A Redis the stack does not create (LocalStack, or one run elsewhere): no VPC, no secret. */
  EXTERNAL;

  /** The name used in CDK context and props, such as {@code memorydb}. */
  public String contextName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the stack creates this Redis, and so a VPC and a secret for it. */
  public boolean managed() {
    return this != EXTERNAL;
  }

  /** Parses a context value such as {@code elasticache}, naming the accepted values on failure. */
  public static RedisKind parse(String value) {
    for (RedisKind kind : values()) {
      if (kind.contextName().equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        String.format("Unknown redis '%s': use one of %s", value, accepted()));
  }

  static String accepted() {
    return Arrays.stream(values()).map(RedisKind::contextName).collect(Collectors.joining(", "));
  }
}
