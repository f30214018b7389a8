package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The catalog's state in Redis: namespaces, their properties and tables, and each table's metadata
 * pointer. Every change is one Lua script; its status reply becomes Iceberg's exception.
 */
final class CatalogState {
  static final String METADATA_LOCATION = "metadata_location";

  private final String catalogName;
  private final RedisSession redis;
  private final RedisKeys keys;

  CatalogState(String catalogName, RedisSession redis) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.redis = requireNonNull(redis, "redis is null");
    this.keys = new RedisKeys(catalogName);
  }

  RedisKeys keys() {
    return keys;
  }

  /** The table's current metadata location, or null when the catalog has no such table. */
  String metadataLocation(TableIdentifier table) {
    String key = keys.tableMeta(table);
    return redis.call(
        "load table " + table + " (key " + key + ")", r -> r.hget(key, METADATA_LOCATION));
  }

  /** Registers a new table whose first metadata file is written already. */
  void createTable(TableIdentifier table, String metadataLocation) {
    String encoded = RedisKeys.encode(table.namespace());
    List<Object> reply =
        redis.script(
            "create table " + table,
            CatalogScript.CREATE_TABLE.script(),
            List.of(
                keys.tableMeta(table), keys.namespaces(), keys.namespaceTables(table.namespace())),
            List.of(encoded, table.name(), metadataLocation));
    switch (status(reply)) {
      case "OK":
        return;
      case "NO_NAMESPACE":
        throw new NoSuchNamespaceException(
            "Cannot create table %s: Namespace does not exist: %s; create it first",
            table, table.namespace());
      case "EXISTS":
        throw new AlreadyExistsException("Table already exists: %s", table);
      case "CASE_CONFLICT":
        throw caseConflict("create table " + table, table, (String) reply.get(1));
      default:
        throw unexpected("create table " + table, reply);
    }
  }

  /** Swaps the table's metadata pointer from {@code expected} to {@code next}, atomically. */
  void swapMetadataLocation(TableIdentifier table, String expected, String next) {
    List<Object> reply =
        redis.script(
            "commit table " + table,
            CatalogScript.COMMIT_TABLE.script(),
            List.of(keys.tableMeta(table)),
            List.of(expected, next));
    switch (status(reply)) {
      case "OK":
        return;
      case "NO_TABLE":
        throw new NoSuchTableException(
            "Cannot commit to table %s: it was dropped by another process", table);
      case "CONFLICT":
        throw new CommitFailedException(
            "Cannot commit to table %s: its metadata location has changed from %s to %s",
            table, expected, reply.get(1));
      default:
        throw unexpected("commit table " + table, reply);
    }
  }

  /** Removes the table and its Icecap state; returns its last metadata location, or null. */
  String dropTable(TableIdentifier table) {
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(keys.tableMeta(table));
    scriptKeys.add(keys.namespaceTables(table.namespace()));
    scriptKeys.addAll(keys.tableStateKeys(table));
    List<Object> reply =
        redis.script(
            "drop table " + table,
            CatalogScript.DROP_TABLE.script(),
            scriptKeys,
            List.of(table.name()));
    switch (status(reply)) {
      case "OK":
        return (String) reply.get(1);
      case "NO_TABLE":
        return null;
      default:
        throw unexpected("drop table " + table, reply);
    }
  }

  /** Renames a table, with all its Icecap state, in one atomic step. */
  void renameTable(TableIdentifier from, TableIdentifier to) {
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(keys.tableMeta(from));
    scriptKeys.add(keys.tableMeta(to));
    scriptKeys.add(keys.namespaces());
    scriptKeys.add(keys.namespaceTables(from.namespace()));
    scriptKeys.add(keys.namespaceTables(to.namespace()));
    List<String> fromState = keys.tableStateKeys(from);
    List<String> toState = keys.tableStateKeys(to);
    for (int i = 0; i < fromState.size(); i++) {
      scriptKeys.add(fromState.get(i));
      scriptKeys.add(toState.get(i));
    }
    String action = "rename table " + from + " to " + to;
    List<Object> reply =
        redis.script(
            action,
            CatalogScript.RENAME_TABLE.script(),
            scriptKeys,
            List.of(RedisKeys.encode(to.namespace()), from.name(), to.name()));
    switch (status(reply)) {
      case "OK":
        return;
      case "NO_TABLE":
        throw new NoSuchTableException("Cannot rename %s to %s: Table does not exist", from, to);
      case "NO_NAMESPACE":
        throw new NoSuchNamespaceException(
            "Cannot rename %s to %s: Namespace does not exist: %s", from, to, to.namespace());
      case "EXISTS":
        throw new AlreadyExistsException("Cannot rename %s to %s: Table already exists", from, to);
      case "CASE_CONFLICT":
        throw caseConflict(action, to, (String) reply.get(1));
      default:
        throw unexpected(action, reply);
    }
  }

  /** The names of the tables in a namespace, sorted. */
  List<TableIdentifier> listTables(Namespace namespace) {
    if (!namespaceExists(namespace)) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
    }
    String key = keys.namespaceTables(namespace);
    Set<String> names = redis.call("list tables of " + namespace, r -> r.smembers(key));
    List<TableIdentifier> tables = new ArrayList<>();
    names.stream().sorted().forEach(name -> tables.add(TableIdentifier.of(namespace, name)));
    return tables;
  }

  void createNamespace(Namespace namespace, Map<String, String> properties) {
    String encoded = RedisKeys.encode(namespace);
    List<String> args = new ArrayList<>();
    args.add(encoded);
    args.add(RedisKeys.parentOf(encoded));
    properties.forEach(
        (name, value) -> {
          args.add(name);
          args.add(value);
        });
    List<Object> reply =
        redis.script(
            "create namespace " + namespace,
            CatalogScript.CREATE_NAMESPACE.script(),
            List.of(keys.namespaces(), keys.namespaceProperties(namespace)),
            args);
    switch (status(reply)) {
      case "OK":
        return;
      case "EXISTS":
        throw new AlreadyExistsException("Namespace already exists: %s", namespace);
      case "CASE_CONFLICT":
        throw new AlreadyExistsException(
            "Cannot create namespace %s: it differs only in case from namespace %s, which exists;"
                + " names that differ only in case are one name to DuckDB, so Icecap refuses the"
                + " second: choose another name",
            namespace, RedisKeys.decodeNamespace((String) reply.get(1)));
      case "NO_PARENT":
        throw new NoSuchNamespaceException(
            "Cannot create namespace %s: its parent namespace %s does not exist; create it first",
            namespace, RedisKeys.decodeNamespace(RedisKeys.parentOf(encoded)));
      default:
        throw unexpected("create namespace " + namespace, reply);
    }
  }

  boolean dropNamespace(Namespace namespace) {
    List<Object> reply =
        redis.script(
            "drop namespace " + namespace,
            CatalogScript.DROP_NAMESPACE.script(),
            List.of(
                keys.namespaces(),
                keys.namespaceProperties(namespace),
                keys.namespaceTables(namespace)),
            List.of(RedisKeys.encode(namespace)));
    switch (status(reply)) {
      case "OK":
        return true;
      case "NO_NAMESPACE":
        return false;
      case "NOT_EMPTY":
        if ("tables".equals(reply.get(1))) {
          throw new NamespaceNotEmptyException(
              "Namespace %s is not empty: it holds %s table(s); drop them first",
              namespace, reply.get(2));
        }
        throw new NamespaceNotEmptyException(
            "Namespace %s is not empty: it holds namespace %s; drop it first",
            namespace, RedisKeys.decodeNamespace((String) reply.get(2)));
      default:
        throw unexpected("drop namespace " + namespace, reply);
    }
  }

  boolean namespaceExists(Namespace namespace) {
    String key = keys.namespaces();
    String member = RedisKeys.encode(namespace);
    return redis.call("look up namespace " + namespace, r -> r.zscore(key, member)) != null;
  }

  /** The namespaces directly below {@code parent} (below the root when it is empty). */
  List<Namespace> listNamespaces(Namespace parent) {
    if (!parent.isEmpty() && !namespaceExists(parent)) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", parent);
    }
    String key = keys.namespaces();
    String prefix = parent.isEmpty() ? "" : RedisKeys.encode(parent) + ".";
    List<String> members =
        redis.call(
            "list namespaces of " + (parent.isEmpty() ? "the catalog" : parent.toString()),
            r ->
                parent.isEmpty()
                    ? r.zrange(key, 0, -1)
                    : r.zrangebylex(
                        key,
                        io.lettuce.core.Range.create(
                            prefix, prefix.substring(0, prefix.length() - 1) + "/")));
    List<Namespace> children = new ArrayList<>();
    for (String member : members) {
      if (member.startsWith(prefix) && member.indexOf('.', prefix.length()) < 0) {
        children.add(RedisKeys.decodeNamespace(member));
      }
    }
    return children;
  }

  Map<String, String> loadNamespaceProperties(Namespace namespace) {
    List<Object> reply =
        redis.script(
            "load namespace " + namespace,
            CatalogScript.LOAD_NAMESPACE.script(),
            List.of(keys.namespaces(), keys.namespaceProperties(namespace)),
            List.of(RedisKeys.encode(namespace)));
    switch (status(reply)) {
      case "OK":
        List<?> flat = (List<?>) reply.get(1);
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
          properties.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return Collections.unmodifiableMap(properties);
      case "NO_NAMESPACE":
        throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
      default:
        throw unexpected("load namespace " + namespace, reply);
    }
  }

  /** Sets ({@code names} and values alternating) or removes properties; true if any changed. */
  boolean updateNamespaceProperties(Namespace namespace, boolean set, List<String> arguments) {
    List<String> args = new ArrayList<>();
    args.add(RedisKeys.encode(namespace));
    args.add(set ? "set" : "remove");
    args.addAll(arguments);
    String action = (set ? "set properties of namespace " : "remove properties of namespace ");
    List<Object> reply =
        redis.script(
            action + namespace,
            CatalogScript.UPDATE_NAMESPACE.script(),
            List.of(keys.namespaces(), keys.namespaceProperties(namespace)),
            args);
    switch (status(reply)) {
      case "OK":
        return ((Number) reply.get(1)).longValue() > 0;
      case "NO_NAMESPACE":
        throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
      default:
        throw unexpected(action + namespace, reply);
    }
  }

  private static AlreadyExistsException caseConflict(
      String action, TableIdentifier table, String existing) {
    return new AlreadyExistsException(
        "Cannot %s: %s differs only in case from table %s, which exists; names that differ only"
            + " in case are one name to DuckDB, so Icecap refuses the second: choose another name",
        action, table.name(), TableIdentifier.of(table.namespace(), existing));
  }

  private static String status(List<Object> reply) {
    return reply.isEmpty() ? "" : String.valueOf(reply.get(0));
  }

  private RedisCatalogException unexpected(String action, List<Object> reply) {
    return new RedisCatalogException(
        "Cannot %s in catalog %s: unexpected reply %s from Redis at %s",
        action, catalogName, reply, redis.server());
  }
}
