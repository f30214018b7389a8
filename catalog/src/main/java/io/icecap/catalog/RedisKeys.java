package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The Redis key layout of one catalog.
 *
 * <p>Every key of a table shares the hash tag {@code {<catalog>.<namespace>.<table>}} so that one
 * table lives in one Redis Cluster slot; catalog-wide keys (namespaces and the tables of each
 * namespace) share the tag {@code {<catalog>}}. Names are escaped so that dots, colons, braces and
 * any other character outside {@code [A-Za-z0-9_-]} cannot change the structure of a key: a dot
 * inside a name becomes {@code %2E}, so the dot between namespace levels is unambiguous.
 */
public final class RedisKeys {
  private static final String PREFIX = "icecap:";
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /**
   * The suffixes of a table's transaction state: the sequence counter, the log stream, scalar
   * state, applied sequence numbers above the watermark, the replica map, partition leases, results
   * and their times, transaction ids and their times.
   */
  private static final List<String> TABLE_STATE =
      List.of(
          "seq",
          "log",
          "state",
          "done",
          "replicas",
          "leases",
          "results",
          "result-times",
          "txns",
          "txn-times");

  private final String catalog;
  private final String catalogTag;

  /**
   * Creates the key layout of the catalog with the given name.
   *
   * @param catalogName the catalog's name, as given to {@code Catalog#initialize}
   */
  public RedisKeys(String catalogName) {
    requireNonNull(catalogName, "catalogName is null");
    this.catalog = escape(catalogName);
    this.catalogTag = PREFIX + "{" + catalog + "}:";
  }

  /** The sorted set of every namespace of the catalog, by encoded name, all with score 0. */
  public String namespaces() {
    return catalogTag + "namespaces";
  }

  /** The hash of the properties of a namespace. */
  public String namespaceProperties(Namespace namespace) {
    return catalogTag + "ns:" + encode(namespace) + ":props";
  }

  /** The set of the names of the tables in a namespace. */
  public String namespaceTables(Namespace namespace) {
    return catalogTag + "ns:" + encode(namespace) + ":tables";
  }

  /** The hash holding a table's current and previous metadata locations. */
  public String tableMeta(TableIdentifier table) {
    return tableKey(table, "meta");
  }

  /**
   * A key of the table with the given suffix ({@code meta}, {@code seq}, {@code log}, ...).
   *
   * @param table the table
   * @param what the key's role within the table
   */
  public String tableKey(TableIdentifier table, String what) {
    return PREFIX
        + "{"
        + catalog
        + "."
        + encode(table.namespace())
        + "."
        + escape(table.name())
        + "}:"
        + what;
  }

  /**
   * The keys, besides {@link #tableMeta}, that belong to a table and move or go with it when it is
   * renamed or dropped.
   */
  public List<String> tableStateKeys(TableIdentifier table) {
    List<String> keys = new ArrayList<>();
    for (String what : TABLE_STATE) {
      keys.add(tableKey(table, what));
    }
    return keys;
  }

  /**
   * The set of the tables that have a transaction log, each in the form of {@link
   * #encode(TableIdentifier)}: the tables sweepers look at.
   */
  public String activeTables() {
    return catalogTag + "active-tables";
  }

  /** The list of apply requests waiting for a worker process, newest first. */
  public String jobQueue() {
    return catalogTag + "jobs";
  }

  /** The encoded form of a table: its encoded namespace, a colon, and its escaped name. */
  public static String encode(TableIdentifier table) {
    return encode(table.namespace()) + ":" + escape(table.name());
  }

  /** The table whose encoded form is given; the inverse of {@link #encode(TableIdentifier)}. */
  public static TableIdentifier decodeTable(String encoded) {
    int colon = encoded.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("Not an encoded table name: " + encoded);
    }
    return TableIdentifier.of(
        decodeNamespace(encoded.substring(0, colon)), unescape(encoded.substring(colon + 1)));
  }

  /** The encoded form of a namespace: its escaped levels joined by dots. */
  public static String encode(Namespace namespace) {
    StringBuilder out = new StringBuilder();
    for (String level : namespace.levels()) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(escape(level));
    }
    return out.toString();
  }

  /** The namespace whose encoded form is given; the inverse of {@link #encode(Namespace)}. */
  public static Namespace decodeNamespace(String encoded) {
    if (encoded.isEmpty()) {
      return Namespace.empty();
    }
    return Namespace.of(
        Arrays.stream(encoded.split("\\.", -1)).map(RedisKeys::unescape).toArray(String[]::new));
  }

  /** The encoded parent of an encoded namespace, or the empty string for a top-level one. */
  static String parentOf(String encodedNamespace) {
    int dot = encodedNamespace.lastIndexOf('.');
    return dot < 0 ? "" : encodedNamespace.substring(0, dot);
  }

  /** Percent-encodes, as UTF-8, every character of a name outside {@code [A-Za-z0-9_-]}. */
  static String escape(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-') {
        out.append((char) c);
      } else {
        out.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /** Decodes a name escaped by {@link #escape(String)}. */
  static String unescape(String escaped) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '%' && i + 2 < escaped.length()) {
        bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
