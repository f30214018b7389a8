package io.icecap.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Redis ACL rules of each part of Icecap: the least each needs, as the rules {@code ACL SETUSER
 * <user> on ><password> <rules>} (or a {@code user} line of {@code redis.conf} or an ACL file)
 * takes after the password. Every key Icecap uses starts with {@code icecap:}; a table's keys end
 * with {@code }:<what>} (names are escaped, so no name holds a brace).
 *
 * <p>{@link #rules()} needs Redis 7.0 or later: it gives read access to every Icecap key and write
 * access to the keys the role changes ({@code %R~} and {@code %RW~}). Redis 6.2 has no read-only
 * key patterns; {@link #redis6Rules()} gives the same commands with read and write access to every
 * Icecap key, so there the roles differ only in their commands.
 *
 * <p>Every role runs Lua scripts ({@code EVALSHA}, {@code EVAL}, {@code SCRIPT LOAD}), and Redis
 * cannot tie those to Icecap's own scripts: a user can run any script, with the commands and keys
 * of its rules. The rules, not the scripts, are therefore the boundary.
 */
public enum AclRole {
  /**
   * SDK, JDBC and {@code icecap} command sessions: DDL through the catalog (namespaces, create and
   * alter tables), appends to the logs, apply requests, reading results and log state. Not: drop or
   * rename tables, apply the log (leases, replica map, results, watermark).
   */
  CLIENT(
      List.of(
          "hget",
          "hmget",
          "hgetall",
          "smembers",
          "scard",
          "zscore",
          "zrange",
          "zrangebylex",
          "zrangebyscore",
          "xrange",
          "get",
          "exists",
          "type",
          "time",
          "hset",
          "hdel",
          "del",
          "sadd",
          "srem",
          "zadd",
          "zrem",
          "incr",
          "xadd",
          "lpush"),
      List.of(
          "meta",
          "seq",
          "log",
          "txns",
          "txn-times",
          "namespaces",
          "ns:*",
          "active-tables",
          "jobs")),

  /**
   * {@code icecap worker} processes, the Lambda function and in-process workers: reading the logs
   * and tables, apply requests, leases, publishing applied work (pointer swap, replica map,
   * results, watermark, log trim), recording failed jobs. Not: append, DDL, drop.
   */
  WORKER(
      List.of(
          "hget",
          "hmget",
          "hgetall",
          "smembers",
          "zscore",
          "zrange",
          "zrangebyscore",
          "xrange",
          "get",
          "exists",
          "type",
          "time",
          "hset",
          "hdel",
          "hincrby",
          "zadd",
          "zrem",
          "xtrim",
          "srem",
          "brpop"),
      List.of(
          "meta",
          "log",
          "state",
          "done",
          "replicas",
          "leases",
          "results",
          "result-times",
          "active-tables",
          "jobs")),

  /**
   * Everything Icecap does: what clients and workers do, and dropping and renaming tables (which
   * remove or move every key of a table). Still only Icecap's keys, and no server administration
   * ({@code CONFIG}, {@code FLUSHALL}, {@code KEYS}, {@code ACL}, {@code SHUTDOWN}).
   */
  ADMIN(
      List.of(
          "hget",
          "hmget",
          "hgetall",
          "smembers",
          "scard",
          "zscore",
          "zrange",
          "zrangebylex",
          "zrangebyscore",
          "xrange",
          "get",
          "exists",
          "type",
          "time",
          "hset",
          "hdel",
          "hincrby",
          "del",
          "rename",
          "sadd",
          "srem",
          "zadd",
          "zrem",
          "incr",
          "xadd",
          "xtrim",
          "lpush",
          "brpop"),
      List.of("*"));

  /** Every Icecap key: the prefix of {@link RedisKeys}. */
  public static final String KEY_PREFIX = "icecap:";

  /**
   * What every session needs whatever its role: to connect ({@code AUTH} and {@code HELLO} are
   * always allowed), name its connection, check the server ({@code INFO}), load and run scripts.
   */
  private static final List<String> SESSION =
      List.of("ping", "info", "client|setname", "select", "script|load", "evalsha", "eval");

  private final List<String> commands;
  private final List<String> writable;

  AclRole(List<String> commands, List<String> writable) {
    this.commands = List.copyOf(commands);
    this.writable = List.copyOf(writable);
  }

  /** The role's name as users write it: {@code client}, {@code worker}, {@code admin}. */
  public String roleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code client}, {@code worker} or {@code admin}, in any case. */
  public static AclRole named(String name) {
    for (AclRole role : values()) {
      if (role.roleName().equalsIgnoreCase(name.strip())) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "Unknown Icecap role '" + name + "': expected client, worker or admin");
  }

  /** The commands the role may run, as ACL command names ({@code client|setname}). */
  public List<String> commands() {
    List<String> all = new ArrayList<>(SESSION);
    all.addAll(commands);
    return List.copyOf(all);
  }

  /**
   * The ACL rules for Redis 7.0 and later: no commands but the role's, no pub/sub channel, read
   * access to every Icecap key and write access to the keys the role changes.
   */
  public String rules() {
    StringBuilder rules = new StringBuilder("resetchannels -@all");
    commands().forEach(command -> rules.append(" +").append(command));
    rules.append(" +evalsha_ro +eval_ro");
    if (writable.equals(List.of("*"))) {
      rules.append(" %RW~").append(KEY_PREFIX).append('*');
    } else {
      rules.append(" %R~").append(KEY_PREFIX).append('*');
      writable.forEach(what -> rules.append(" %RW~").append(KEY_PREFIX).append("*}:").append(what));
    }
    return rules.toString();
  }

  /**
   * The ACL rules for Redis 6.2, which has no read-only key patterns: the role's commands, read and
   * write access to every Icecap key.
   */
  public String redis6Rules() {
    StringBuilder rules = new StringBuilder("resetchannels -@all");
    commands().forEach(command -> rules.append(" +").append(command));
    return rules.append(" ~").append(KEY_PREFIX).append('*').toString();
  }

  /** {@link #rules()} for Redis 7 and later, {@link #redis6Rules()} for an older version. */
  public String rules(String redisVersion) {
    String major = redisVersion.strip().split("\\.", 2)[0];
    try {
      return Integer.parseInt(major) >= 7 ? rules() : redis6Rules();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not a Redis version: '" + redisVersion + "'", e);
    }
  }
}
