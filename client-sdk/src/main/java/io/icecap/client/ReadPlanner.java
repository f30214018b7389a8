package io.icecap.client;

import io.icecap.catalog.NameCase;
import io.icecap.replica.DuckDbTypes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Prepares a query: resolves the lake tables it names to snapshots, plans their files with Iceberg
 * (partition and min/max pruning from the query's conjuncts), brings the files into the read cache
 * in parallel, and creates DuckDB views named like the tables over them. The query itself then runs
 * unchanged, except that a table read {@code AT (VERSION => …)} or {@code AT (TIMESTAMP => …)} is
 * replaced by a view of that snapshot.
 */
final class ReadPlanner {
  /** The DuckDB schema holding views of tables read at an older snapshot. */
  static final String SNAPSHOT_SCHEMA = "icecap_snapshots";

  /**
   * The DuckDB schema holding views of tables that DuckDB's {@code catalog.schema.table} cannot
   * name: tables of nested namespaces, and names that lead with the catalog's.
   */
  static final String TABLES_SCHEMA = "icecap_tables";

  private static final int MAX_PARSED = 128;

  private final Environment environment;
  private final TableNames names;
  private final Duration writeTimeout;
  private final ScanFiles scanFiles;

  /** Filters for planning from each table reference's conjuncts. */
  private final Pruning pruning = new Pruning();

  /**
   * The views this session's DuckDB holds, with their bodies, by qualified name folded as DuckDB
   * folds names ({@code s."Case"} replaces {@code s."case"}).
   */
  private final Map<String, String> views = new HashMap<>();

  /** The table each view of the query being prepared shows, by folded qualified name. */
  private final Map<String, TableIdentifier> claimed = new HashMap<>();

  /** Parsed queries, by text: parsing is a DuckDB call, and dashboards repeat their queries. */
  private final Map<String, SelectTree> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SelectTree> eldest) {
          return size() > MAX_PARSED;
        }
      };

  /** The files a prepared query holds in the cache until it is done. */
  record Held(String location, long size) {}

  /**
   * A query ready to run.
   *
   * @param sql the query with time-travel references replaced by snapshot views
   * @param held the cached files it reads, to release when it is done
   * @param files how many data files its views read
   */
  record Prepared(String sql, List<Held> held, int files) {}

  /** One table at one snapshot, and what the query's references to it allow to skip. */
  private static final class Read {
    final TableIdentifier identifier;
    final Table table;
    final Snapshot snapshot;
    final List<Expression> filters = new ArrayList<>();
    final List<SelectTree.TableRef> refs = new ArrayList<>();

    Read(TableIdentifier identifier, Table table, Snapshot snapshot) {
      this.identifier = identifier;
      this.table = table;
      this.snapshot = snapshot;
    }
  }

  ReadPlanner(Environment environment, TableNames names, Duration writeTimeout) {
    this.environment = environment;
    this.names = names;
    this.scanFiles = new ScanFiles(environment.cache, environment.fetchers);
    this.writeTimeout = writeTimeout;
  }

  Prepared prepare(
      Connection duckdb,
      String sql,
      List<Object> parameters,
      Consistency consistency,
      Instant asOf) {
    SelectTree tree = parsed.get(sql);
    if (tree == null) {
      tree = SelectTree.parse(duckdb, sql);
      parsed.put(sql, tree);
    }
    Map<TableIdentifier, Table> tables = new LinkedHashMap<>();
    List<SelectTree.TableRef> lakeRefs = new ArrayList<>();
    for (SelectTree.TableRef ref : tree.tables()) {
      if (ref.parts().size() == 1 && tree.isCte(ref.parts().get(0))) {
        continue;
      }
      lakeRefs.add(ref);
      tables.computeIfAbsent(identifier(ref), this::load);
    }
    if (consistency == Consistency.LATEST) {
      awaitApplied(tables.keySet());
      tables.replaceAll((identifier, table) -> load(identifier));
    }
    Map<String, Read> reads = new LinkedHashMap<>();
    for (SelectTree.TableRef ref : lakeRefs) {
      TableIdentifier identifier = identifier(ref);
      Table table = tables.get(identifier);
      Snapshot snapshot = snapshot(table, ref, parameters, asOf);
      String key = identifier + "@" + (snapshot == null ? "none" : snapshot.snapshotId());
      Read read = reads.computeIfAbsent(key, k -> new Read(identifier, table, snapshot));
      read.refs.add(ref);
      Schema schema = schemaOf(table, snapshot);
      checkColumnNames(identifier, schema);
      read.filters.add(pruning.filter(duckdb, schema, tree.conjuncts(ref), parameters));
    }
    List<Held> held = new ArrayList<>();
    int files = 0;
    List<TextReplacement> replacements = new ArrayList<>();
    claimed.clear();
    try (Statement statement = duckdb.createStatement()) {
      for (Read read : reads.values()) {
        files += view(statement, read, held, asOf, replacements, sql);
      }
    } catch (SQLException e) {
      release(held);
      if (QueryErrors.damagedFile(e)) {
        throw QueryErrors.storage(e);
      }
      throw new IcecapException(
          ErrorCode.INTERNAL, e, "Cannot create the query's table views: %s", e.getMessage());
    } catch (RuntimeException e) {
      release(held);
      throw e;
    }
    return new Prepared(TextReplacement.apply(sql, replacements), held, files);
  }

  void release(List<Held> held) {
    for (Held file : held) {
      environment.cache.release(file.location(), file.size());
    }
  }

  /**
   * Refuses a schema whose columns DuckDB (and Iceberg's case-insensitive look-ups) cannot tell
   * apart, which the catalog refuses now but a table may have from before.
   */
  private static void checkColumnNames(TableIdentifier identifier, Schema schema) {
    java.util.Optional<List<String>> clash = NameCase.columnClash(schema);
    if (clash.isPresent()) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED,
          "Cannot read table %s: its columns %s and %s differ only in case, which DuckDB cannot"
              + " tell apart; rename one of them (ALTER TABLE %s RENAME COLUMN ... TO ...)",
          identifier,
          clash.get().get(0),
          clash.get().get(1),
          identifier);
    }
  }

  private TableIdentifier identifier(SelectTree.TableRef ref) {
    return names.identifier(ref.parts());
  }

  private Table load(TableIdentifier identifier) {
    try {
      return environment.tables.current(identifier);
    } catch (NoSuchTableException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_TABLE,
          e,
          "Table %s does not exist (icecap tables lists the tables)%s",
          identifier,
          identifier.namespace().levels().length < 2
              ? ""
              : String.format(
                  "; a name of three parts or more is namespace levels and a table, after the"
                      + " catalog's name %s when it leads",
                  names.catalogName()));
    }
  }

  /** Waits until each table's log is applied up to its head as it is now, asking for the apply. */
  private void awaitApplied(Iterable<TableIdentifier> identifiers) {
    for (TableIdentifier identifier : identifiers) {
      try {
        environment.orchestrator.awaitApplied(identifier, writeTimeout);
      } catch (TimeoutException e) {
        throw new IcecapException(
            ErrorCode.WRITE_TIMEOUT,
            e,
            "%s, so a LATEST query cannot see them yet; or query with SNAPSHOT consistency",
            e.getMessage());
      }
    }
  }

  private static Snapshot snapshot(
      Table table, SelectTree.TableRef ref, List<Object> parameters, Instant asOf) {
    if (ref.atUnit() == null) {
      return asOf == null ? table.currentSnapshot() : asOf(table, asOf);
    }
    String text = atValue(ref.at(), parameters);
    if (ref.atUnit().equals("VERSION")) {
      long id;
      try {
        id = Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new IcecapException(
            ErrorCode.TYPE_ERROR,
            "AT (VERSION => %s) on %s needs a snapshot id, a whole number",
            text,
            table.name());
      }
      Snapshot snapshot = table.snapshot(id);
      if (snapshot == null) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_TABLE,
            "Table %s has no snapshot %d: it is not in the table's history (never a snapshot of"
                + " the table, or expired: %s); %s (icecap snapshots %s lists them)",
            table.name(),
            id,
            retention(table),
            oldest(table),
            table.name());
      }
      return snapshot;
    }
    if (ref.atUnit().equals("TIMESTAMP")) {
      Instant time;
      try {
        time = LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new IcecapException(
            ErrorCode.TYPE_ERROR,
            "AT (TIMESTAMP => %s) on %s needs a timestamp such as '2026-11-21 10:00:00' (UTC)",
            text,
            table.name());
      }
      return asOf(table, time);
    }
    throw new IcecapException(
        ErrorCode.UNSUPPORTED,
        "AT (%s => ...) is not supported; use VERSION (a snapshot id) or TIMESTAMP",
        ref.atUnit());
  }

  private static String atValue(SelectTree.Operand operand, List<Object> parameters) {
    if (operand == null) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED, "AT (...) takes a constant: a snapshot id or a timestamp");
    }
    if (operand.kind().equals("PARAMETER")) {
      int index = Integer.parseInt(operand.text()) - 1;
      if (index < 0 || index >= parameters.size() || parameters.get(index) == null) {
        throw new IcecapException(
            ErrorCode.INVALID_PARAMETER, "Parameter %s of AT (...) is not bound", operand.text());
      }
      return parameters.get(index).toString();
    }
    return operand.text();
  }

  private static Snapshot asOf(Table table, Instant time) {
    Snapshot snapshot;
    try {
      snapshot = table.snapshot(SnapshotUtil.snapshotIdAsOfTime(table, time.toEpochMilli()));
    } catch (IllegalArgumentException e) {
      snapshot = null;
    }
    if (snapshot == null) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_TABLE,
          "Table %s has no snapshot as of %s: that is before its history (it did not exist yet,"
              + " or the snapshot of that time is expired: %s); %s",
          table.name(),
          time,
          retention(table),
          oldest(table));
    }
    return snapshot;
  }

  /** How long the table keeps snapshots, as its properties say. */
  private static String retention(Table table) {
    String value = table.properties().get(TableProperties.MAX_SNAPSHOT_AGE_MS);
    long millis = TableProperties.MAX_SNAPSHOT_AGE_MS_DEFAULT;
    if (value != null) {
      try {
        millis = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        return "its property " + TableProperties.MAX_SNAPSHOT_AGE_MS + " is '" + value + "'";
      }
    }
    return "the table keeps snapshots for "
        + span(millis)
        + " ("
        + TableProperties.MAX_SNAPSHOT_AGE_MS
        + ")";
  }

  private static String span(long millis) {
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] names = {"day", "hour", "minute", "second", "millisecond"};
    for (int i = 0; i < units.length; i++) {
      if (millis % units[i] == 0) {
        long count = millis / units[i];
        return count + " " + names[i] + (count == 1 ? "" : "s");
      }
    }
    return millis + " milliseconds";
  }

  /** The oldest snapshot the table still has, for messages. */
  private static String oldest(Table table) {
    Snapshot oldest = null;
    for (Snapshot snapshot : table.snapshots()) {
      if (oldest == null || snapshot.timestampMillis() < oldest.timestampMillis()) {
        oldest = snapshot;
      }
    }
    return oldest == null
        ? "the table has no snapshot"
        : String.format(
            "the oldest available is snapshot %d of %s",
            oldest.snapshotId(), Instant.ofEpochMilli(oldest.timestampMillis()));
  }

  private static Schema schemaOf(Table table, Snapshot snapshot) {
    Snapshot current = table.currentSnapshot();
    if (snapshot == null || (current != null && current.snapshotId() == snapshot.snapshotId())) {
      return table.schema();
    }
    return SnapshotUtil.schemaFor(table, snapshot.snapshotId());
  }

  /** Creates the read's view; returns how many files it reads. */
  private int view(
      Statement statement,
      Read read,
      List<Held> held,
      Instant asOf,
      List<TextReplacement> replacements,
      String sql)
      throws SQLException {
    Schema schema = schemaOf(read.table, read.snapshot);
    List<FileScanTask> tasks = plan(read);
    List<ScanFiles.LocalTask> files = scanFiles.hold(read.table, schema, tasks, held);
    String body = ViewBody.of(read.table, schema, files);
    Namespace namespace = read.identifier.namespace();
    // DuckDB names a table catalog.schema.table: a table of a nested namespace, or named with
    // the catalog's name, is read through a view of another name that replaces it in the text
    boolean oneLevel = namespace.levels().length == 1;
    if (read.refs.stream().anyMatch(r -> r.atUnit() == null && oneLevel && r.parts().size() <= 2)) {
      String schemaName = DuckDbTypes.quote(namespace.level(0));
      createView(statement, schemaName, DuckDbTypes.quote(read.identifier.name()), body, read);
      if (read.refs.stream().anyMatch(r -> r.atUnit() == null && r.parts().size() == 1)) {
        createView(statement, "main", DuckDbTypes.quote(read.identifier.name()), body, read);
      }
    }
    if (read.refs.stream()
        .anyMatch(r -> r.atUnit() == null && (!oneLevel || r.parts().size() > 2))) {
      String viewName = DuckDbTypes.quote(read.identifier.toString());
      createView(statement, TABLES_SCHEMA, viewName, body, read);
      for (SelectTree.TableRef ref : read.refs) {
        if (ref.atUnit() == null && (!oneLevel || ref.parts().size() > 2)) {
          replacements.add(
              new TextReplacement(
                  Utf8.charIndex(sql, ref.start()),
                  Utf8.charIndex(sql, ref.start() + ref.length()),
                  reference(TABLES_SCHEMA + "." + viewName, ref)));
        }
      }
    }
    if (read.refs.stream().anyMatch(r -> r.atUnit() != null)) {
      String viewName =
          DuckDbTypes.quote(
              read.identifier
                  + "@"
                  + (read.snapshot == null ? "none" : read.snapshot.snapshotId()));
      String name = SNAPSHOT_SCHEMA + "." + viewName;
      createView(statement, SNAPSHOT_SCHEMA, viewName, body, read);
      for (SelectTree.TableRef ref : read.refs) {
        if (ref.atUnit() != null) {
          replacements.add(
              new TextReplacement(
                  Utf8.charIndex(sql, ref.start()),
                  Utf8.charIndex(sql, ref.start() + ref.length()),
                  reference(name, ref)));
        }
      }
    }
    return files.size();
  }

  /**
   * What replaces a reference in the text: the view, under the reference's alias and its columns'.
   */
  private static String reference(String view, SelectTree.TableRef ref) {
    StringBuilder text = new StringBuilder(view).append(" AS ");
    text.append(DuckDbTypes.quote(ref.visibleName()));
    if (!ref.columnAliases().isEmpty()) {
      List<String> columns = new ArrayList<>();
      for (String column : ref.columnAliases()) {
        columns.add(DuckDbTypes.quote(column));
      }
      text.append('(').append(String.join(", ", columns)).append(')');
    }
    return text.toString();
  }

  /**
   * Creates or replaces a view, unless this session's DuckDB has it with the same body already:
   * binding {@code read_parquet} reads every file's footer, which a repeated query need not redo.
   * Two tables whose views DuckDB takes for one (names that differ only in case, made before the
   * catalog refused them) cannot be read by one query.
   */
  private void createView(Statement statement, String schema, String view, String body, Read read)
      throws SQLException {
    String name = schema + "." + view;
    String key = NameCase.fold(name);
    TableIdentifier other = claimed.putIfAbsent(key, read.identifier);
    if (other != null && !other.equals(read.identifier)) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED,
          "Tables %s and %s differ only in case (or in how their names split into parts), which"
              + " DuckDB does not tell apart, so one query cannot read both; rename one of them"
              + " (ALTER TABLE %s RENAME TO ...)",
          other,
          read.identifier,
          read.identifier);
    }
    if (body.equals(views.get(key))) {
      return;
    }
    views.remove(key);
    statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    statement.execute("CREATE OR REPLACE VIEW " + name + " AS " + body);
    views.put(key, body);
  }

  private List<FileScanTask> plan(Read read) {
    if (read.snapshot == null) {
      return List.of();
    }
    Expression filter = Expressions.alwaysFalse();
    for (Expression expression : read.filters) {
      filter = Expressions.or(filter, expression);
    }
    String key =
        read.table.uuid()
            + "@"
            + read.snapshot.snapshotId()
            + "/"
            + read.snapshot.schemaId()
            + ":"
            + filter;
    List<FileScanTask> cached = environment.tables.plan(key);
    if (cached != null) {
      return cached;
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        read.table
            .newScan()
            .useSnapshot(read.snapshot.snapshotId())
            .caseSensitive(false)
            .filter(filter)
            .planFiles()) {
      for (FileScanTask task : planned) {
        tasks.add(task);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IcecapException icecap) {
        throw icecap;
      }
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot plan the files of %s (its manifests are under %s): %s; check that the"
              + " warehouse's object store is reachable",
          read.identifier,
          read.table.location(),
          e.getMessage());
    }
    tasks.sort(Comparator.comparing(t -> t.file().location()));
    environment.tables.keepPlan(key, tasks);
    return tasks;
  }
}
