package io.icecap.client;

import io.icecap.txn.sql.Token;
import io.icecap.worker.maintenance.MaintenancePolicy;
import io.icecap.worker.maintenance.TablePropertyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The table properties of {@code CREATE TABLE … TBLPROPERTIES ('k' = 'v', …)}, {@code ALTER TABLE …
 * SET TBLPROPERTIES (…)} and {@code UNSET TBLPROPERTIES [IF EXISTS] ('k', …)}, as Spark writes
 * them: keys and values are string literals in single quotes. A statement names at most {@value
 * #MAX_PROPERTIES} properties, keys of up to {@value #MAX_KEY_LENGTH} characters and values of up
 * to {@value #MAX_VALUE_LENGTH}. The values maintenance reads are checked by {@link
 * MaintenancePolicy#check}; Iceberg's reserved properties cannot be set, except {@code
 * format-version}, which may only name the version of the table or a later one Icecap writes (2).
 */
final class DdlProperties {
  static final int MAX_PROPERTIES = 100;
  static final int MAX_KEY_LENGTH = 256;
  static final int MAX_VALUE_LENGTH = 4096;

  /** The highest Iceberg format version Icecap's workers write (position delete files). */
  static final int FORMAT_VERSION = 2;

  private DdlProperties() {}

  /** Reads {@code ('k' = 'v', …)}: the properties in the order written. */
  static Map<String, String> assignments(Ddl.Cursor at, TableIdentifier table) {
    Map<String, String> properties = new LinkedHashMap<>();
    Map<String, Integer> positions = new LinkedHashMap<>();
    at.expectPunctuation('(');
    do {
      Token keyToken = at.peek();
      String key = key(at, table);
      at.expectOperator("=");
      Token valueToken = at.peek();
      String value = literal(at, "a property value as a string literal ('…')");
      if (value.length() > MAX_VALUE_LENGTH) {
        throw new IcecapException(
            ErrorCode.INVALID_PROPERTY,
            "Cannot set table property '%s' of %s: its value at character %d has %d characters,"
                + " more than the %d a value may have",
            abbreviate(key),
            table,
            valueToken.start() + 1,
            value.length(),
            MAX_VALUE_LENGTH);
      }
      Integer earlier = positions.putIfAbsent(key, keyToken.start() + 1);
      if (earlier != null) {
        throw duplicate(key, table, earlier, keyToken);
      }
      properties.put(key, value);
      checkCount(properties.size(), table, keyToken);
    } while (at.acceptPunctuation(','));
    at.expectPunctuation(')');
    return properties;
  }

  /** Reads {@code ('k', …)}: the keys in the order written. */
  static List<String> keys(Ddl.Cursor at, TableIdentifier table) {
    List<String> keys = new ArrayList<>();
    Map<String, Integer> positions = new LinkedHashMap<>();
    at.expectPunctuation('(');
    do {
      Token keyToken = at.peek();
      String key = key(at, table);
      Integer earlier = positions.putIfAbsent(key, keyToken.start() + 1);
      if (earlier != null) {
        throw duplicate(key, table, earlier, keyToken);
      }
      keys.add(key);
      checkCount(keys.size(), table, keyToken);
    } while (at.acceptPunctuation(','));
    at.expectPunctuation(')');
    return keys;
  }

  /**
   * Checks properties a statement sets on a table of format version {@code currentVersion} (0 for a
   * table being created): nothing is committed when this throws.
   */
  static void checkSet(TableIdentifier table, Map<String, String> properties, int currentVersion) {
    for (String key : properties.keySet()) {
      if (TableProperties.RESERVED_PROPERTIES.contains(key)
          && !key.equals(TableProperties.FORMAT_VERSION)) {
        throw reserved(key, table);
      }
    }
    String version = properties.get(TableProperties.FORMAT_VERSION);
    if (version != null) {
      checkFormatVersion(table, version, currentVersion);
    }
    try {
      MaintenancePolicy.check(table.toString(), properties);
    } catch (TablePropertyException e) {
      throw new IcecapException(ErrorCode.INVALID_PROPERTY, e, "%s", e.getMessage());
    }
  }

  /** Checks properties a statement removes. */
  static void checkUnset(TableIdentifier table, List<String> keys) {
    for (String key : keys) {
      if (TableProperties.RESERVED_PROPERTIES.contains(key)) {
        throw reserved(key, table);
      }
    }
  }

  private static void checkFormatVersion(TableIdentifier table, String value, int currentVersion) {
    int version;
    try {
      version = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot set format-version of %s to '%s': it is not a format version; Icecap writes"
              + " tables of format version %d",
          table,
          abbreviate(value),
          FORMAT_VERSION);
    }
    if (version < currentVersion) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot set format-version of %s to %d: the table is of format version %d, and a"
              + " table's format version cannot be lowered",
          table,
          version,
          currentVersion);
    }
    if (version != FORMAT_VERSION && version != currentVersion) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot set format-version of %s to %d: Icecap writes tables of format version %d%s",
          table,
          version,
          FORMAT_VERSION,
          version < FORMAT_VERSION
              ? " (its deletes are position delete files, which older versions lack)"
              : "; later versions are not supported yet");
    }
  }

  private static String key(Ddl.Cursor at, TableIdentifier table) {
    Token token = at.peek();
    String key = literal(at, "a property key as a string literal ('…')");
    if (key.isEmpty()) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot use an empty table property key at character %d for %s",
          token.start() + 1,
          table);
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot use the table property key at character %d for %s: it has %d characters, more"
              + " than the %d a key may have",
          token.start() + 1,
          table,
          key.length(),
          MAX_KEY_LENGTH);
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Cannot use the table property key at character %d for %s: it holds control characters"
              + " (such as line breaks)",
          token.start() + 1,
          table);
    }
    return key;
  }

  /** The value of a plain string literal: {@code 'it''s'} reads as {@code it's}. */
  private static String literal(Ddl.Cursor at, String what) {
    Token token = at.peek();
    if (token == null || token.kind() != Token.Kind.STRING || !token.text().startsWith("'")) {
      throw at.error(what);
    }
    at.skip();
    return token.value();
  }

  private static void checkCount(int count, TableIdentifier table, Token token) {
    if (count > MAX_PROPERTIES) {
      throw new IcecapException(
          ErrorCode.INVALID_PROPERTY,
          "Too many table properties for %s at character %d: a statement names at most %d; split"
              + " it into several",
          table,
          token.start() + 1,
          MAX_PROPERTIES);
    }
  }

  private static IcecapException duplicate(
      String key, TableIdentifier table, int earlier, Token token) {
    return new IcecapException(
        ErrorCode.INVALID_PROPERTY,
        "Table property '%s' of %s is named twice, at characters %d and %d: name it once",
        abbreviate(key),
        table,
        earlier,
        token.start() + 1);
  }

  private static IcecapException reserved(String key, TableIdentifier table) {
    return new IcecapException(
        ErrorCode.INVALID_PROPERTY,
        "Cannot change table property '%s' of %s: Iceberg reserves it and derives it from the"
            + " table's metadata",
        key,
        table);
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
