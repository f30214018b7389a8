package io.icecap.cli;

import io.icecap.client.CacheStats;
import io.icecap.client.IcecapSession;
import io.icecap.client.LogStatus;
import io.icecap.client.MaintenanceStatus;
import io.icecap.txn.CommitToken;
import io.icecap.txn.record.TransactionResult;
import io.icecap.worker.maintenance.MaintenanceTask;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types.NestedField;

/** What {@code icecap tables}, {@code snapshots}, {@code log} and {@code cache} print. */
final class Inspect {
  private final IcecapSession session;
  private final PrintStream out;

  Inspect(IcecapSession session, PrintStream out) {
    this.session = session;
    this.out = out;
  }

  /** Every table of the catalog with its current snapshot's totals. */
  void tables() {
    TextTable table =
        TextTable.of("table", "snapshot", "records", "data files", "bytes", "committed at")
            .alignRight(1, 2, 3, 4);
    for (TableIdentifier identifier : identifiers()) {
      // by identifier: a name's text is ambiguous when its parts hold dots
      Snapshot current = session.catalog().loadTable(identifier).currentSnapshot();
      if (current == null) {
        table.add(identifier, "none", 0, 0, 0, null);
        continue;
      }
      Map<String, String> summary = current.summary();
      table.add(
          identifier,
          current.snapshotId(),
          summary.getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "?"),
          summary.getOrDefault(SnapshotSummary.TOTAL_DATA_FILES_PROP, "?"),
          summary.getOrDefault(SnapshotSummary.TOTAL_FILE_SIZE_PROP, "?"),
          Instant.ofEpochMilli(current.timestampMillis()));
    }
    table.print(out);
  }

  /**
   * A table's columns and partitioning, its properties (sorted by key) and its maintenance: when
   * each task last ran, what maintenance removed in total, the last run's error.
   */
  void columns(String name) {
    Table iceberg = session.table(name);
    TextTable table = TextTable.of("column", "type", "nullable", "field id").alignRight(3);
    for (NestedField field : iceberg.schema().columns()) {
      table.add(field.name(), field.type(), field.isOptional() ? "yes" : "no", field.fieldId());
    }
    table.print(out);
    out.println(
        "Partitioned by: "
            + (iceberg.spec().isUnpartitioned() ? "nothing" : iceberg.spec().fields()));
    TextTable properties = TextTable.of("property", "value");
    new TreeMap<>(iceberg.properties())
        .forEach((key, value) -> properties.add(abbreviate(key), abbreviate(value)));
    properties.print(out);
    MaintenanceStatus status = session.maintenanceStatus(name);
    TextTable maintenance = TextTable.of("maintenance task", "last run");
    for (MaintenanceTask task : MaintenanceTask.values()) {
      Instant at = status.lastRun().get(task);
      maintenance.add(Maintain.name(task), at == null ? "never" : at);
    }
    maintenance.print(out);
    out.printf(
        "Maintenance removed %d files (%d bytes) in total; last error: %s%n",
        status.filesRemoved(),
        status.bytesRemoved(),
        status.lastError().map(Inspect::abbreviate).orElse("none"));
    status.runningBy().ifPresent(owner -> out.printf("Maintenance is running now: %s%n", owner));
  }

  /** A table's snapshots, oldest first, with what each added and Icecap's applied sequence. */
  void snapshots(String name) {
    Table iceberg = session.table(name);
    Long current =
        iceberg.currentSnapshot() == null ? null : iceberg.currentSnapshot().snapshotId();
    TextTable table =
        TextTable.of(
                "snapshot",
                "parent",
                "committed at",
                "operation",
                "added rows",
                "deleted rows",
                "total rows",
                "applied up to seq")
            .alignRight(0, 1, 4, 5, 6, 7);
    List<Snapshot> snapshots = new ArrayList<>();
    iceberg.snapshots().forEach(snapshots::add);
    snapshots.sort(Comparator.comparingLong(Snapshot::sequenceNumber));
    for (Snapshot snapshot : snapshots) {
      Map<String, String> summary = snapshot.summary();
      table.add(
          snapshot.snapshotId() + (Long.valueOf(snapshot.snapshotId()).equals(current) ? " *" : ""),
          snapshot.parentId(),
          Instant.ofEpochMilli(snapshot.timestampMillis()),
          snapshot.operation(),
          summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"),
          summary.getOrDefault(SnapshotSummary.DELETED_RECORDS_PROP, "0"),
          summary.getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "?"),
          summary.get("icecap.sequence"));
    }
    table.print(out);
    out.println("* current snapshot");
  }

  /** A table's log: how far behind its snapshot is, leases, and the first pending entries. */
  void log(String name, int entries) {
    LogStatus status = session.logStatus(name, entries);
    out.printf(
        "%s: %d acknowledged, %d applied (watermark %d), %d pending",
        status.table(),
        status.head(),
        status.head() - status.pending(),
        status.watermark(),
        status.pending());
    out.println(
        status.pending() == 0
            ? ""
            : String.format(", the oldest for %.1f s", status.oldestPendingMillis() / 1000.0));
    if (status.lastAborted() != null) {
      out.printf(
          "%d aborted when applied; the last, %d: %s%n",
          status.aborted(),
          status.lastAborted().sequence(),
          abbreviate(status.lastAborted().reason()));
    }
    if (!status.leases().isEmpty()) {
      TextTable leases = TextTable.of("partition", "leased by", "ms left").alignRight(2);
      status
          .leases()
          .forEach((key, lease) -> leases.add(key, lease.owner(), lease.remainingMillis()));
      leases.print(out);
    }
    if (!status.entries().isEmpty()) {
      TextTable pending = TextTable.of("seq", "age ms", "statements").alignRight(0, 1);
      for (LogStatus.Entry entry : status.entries()) {
        pending.add(
            entry.sequence(), entry.ageMillis(), abbreviate(String.join("; ", entry.statements())));
      }
      pending.print(out);
    }
  }

  /**
   * Whether a write is in a table's log, by its transaction id, and its result when there is one.
   *
   * @return the exit status: 0 when it is in the log, 1 when it is not
   */
  int transaction(String name, String transactionId) {
    Optional<CommitToken> token = session.findTransaction(name, transactionId);
    if (token.isEmpty()) {
      out.printf(
          "Transaction %s is not in the log of %s: no write of that id was appended in the last"
              + " 2 minutes (the log forgets ids after that)%n",
          transactionId, name);
      return 1;
    }
    long sequence = token.get().sequence();
    Optional<TransactionResult> result = session.result(token.get());
    String outcome =
        result
            .map(r -> r.committed() ? "committed, rows " + r.rowCounts() : "aborted: " + r.error())
            .orElse("no result yet: it is pending, or applied longer ago than results are kept");
    out.printf(
        "Transaction %s is in the log of %s as sequence %d: %s%n",
        transactionId, name, sequence, outcome);
    return 0;
  }

  /** The read cache's counters in this process and the local files under the home directory. */
  void cache() {
    CacheStats stats = session.cacheStats();
    TextTable counters = TextTable.of("read cache", "value").alignRight(1);
    counters.add("entries", stats.entries());
    counters.add("bytes", stats.bytes());
    counters.add("hits", stats.hits());
    counters.add("misses", stats.misses());
    counters.add("evictions", stats.evictions());
    counters.add("local reads", stats.localReads());
    counters.print(out);
    Path home = session.config().home();
    TextTable files = TextTable.of("directory", "files", "bytes").alignRight(1, 2);
    for (String dir : List.of("cache", "worker", "staging")) {
      long[] sizes = sizes(home.resolve(dir));
      files.add(home.resolve(dir), sizes[0], sizes[1]);
    }
    files.print(out);
  }

  private List<TableIdentifier> identifiers() {
    List<TableIdentifier> all = new ArrayList<>();
    if (session.catalog() instanceof SupportsNamespaces namespaces) {
      collect(namespaces, Namespace.empty(), all);
    }
    all.sort(Comparator.comparing(TableIdentifier::toString));
    return all;
  }

  private void collect(SupportsNamespaces namespaces, Namespace parent, List<TableIdentifier> all) {
    for (Namespace namespace : namespaces.listNamespaces(parent)) {
      all.addAll(session.catalog().listTables(namespace));
      collect(namespaces, namespace, all);
    }
  }

  private static long[] sizes(Path dir) {
    long[] sizes = new long[2];
    if (!Files.isDirectory(dir)) {
      return sizes;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              file -> {
                sizes[0]++;
                try {
                  sizes[1] += Files.size(file);
                } catch (IOException e) {
                  // removed while listed
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a directory removed while listed counts what was seen
    }
    return sizes;
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= 100 ? line : line.substring(0, 97) + "...";
  }
}
