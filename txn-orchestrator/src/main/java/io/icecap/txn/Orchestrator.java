package io.icecap.txn;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalogException;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.TransactionValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.io.OutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path's front: validates a transaction, stages its large inserts, appends it to the
 * table's log with the next sequence number, acknowledges it with a commit token, and asks for an
 * apply job. Synchronous callers then wait for the transaction's result.
 */
public final class Orchestrator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  private static final long TABLE_REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

  private final Catalog catalog;
  private final TransactionLog logs;
  private final TransactionValidator validator;
  private final Dispatcher dispatcher;
  private final Map<TableIdentifier, CachedTable> tables = new ConcurrentHashMap<>();
  private final Set<TableIdentifier> active = ConcurrentHashMap.newKeySet();

  private record CachedTable(Table table, long loadedAt) {}

  /**
   * Creates an orchestrator.
   *
   * @param catalog the catalog of the tables written
   * @param logs the catalog's transaction logs
   * @param validator checks transactions
   * @param dispatcher asks for apply jobs
   */
  public Orchestrator(
      Catalog catalog, TransactionLog logs, TransactionValidator validator, Dispatcher dispatcher) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.validator = requireNonNull(validator, "validator is null");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
  }

  /**
   * Submits a transaction and returns once it is in the log.
   *
   * @throws TransactionRejectedException when it is refused; nothing was appended
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   * @throws io.icecap.txn.log.AppendOutcomeUnknownException when its append was sent but no answer
   *     came back: it may be in the log, and {@link #find} tells once Redis answers
   * @throws io.icecap.catalog.RedisCatalogException when Redis cannot be reached or refused the
   *     append: it is not in the log
   */
  public CommitToken submit(TableIdentifier identifier, List<SqlStatement> statements) {
    Table table = table(identifier);
    String transactionId = UUID.randomUUID().toString();
    TransactionValidator.Validated validated = validator.validate(table, transactionId, statements);
    String record = RecordCodec.encode(validated.record());
    if (record.length() > TransactionRecord.MAX_CHARS) {
      validated.staged().values().forEach(Orchestrator::deleteQuietly);
      throw new TransactionRejectedException(
          "Cannot write to %s: the transaction's log record would be %d characters (its SQL and"
              + " parameter values together), over the limit of %d; write smaller values or"
              + " split the transaction",
          identifier, record.length(), TransactionRecord.MAX_CHARS);
    }
    try {
      validated.staged().forEach((location, file) -> upload(table, file, location));
    } finally {
      validated.staged().values().forEach(Orchestrator::deleteQuietly);
    }
    if (active.add(identifier)) {
      logs.markActive(identifier);
    }
    long sequence = logs.table(identifier).append(transactionId, record);
    dispatcher.appended(identifier, sequence);
    return new CommitToken(identifier, sequence, transactionId);
  }

  /**
   * Finds a transaction in the table's log by the id it was submitted under ({@link
   * CommitToken#transactionId()}), while the log remembers it: at least {@link
   * TableLog#TRANSACTION_ID_MEMORY} after its append.
   *
   * @return its token, to {@link #await} its result; empty when it was not appended in that time
   */
  public Optional<CommitToken> find(TableIdentifier table, String transactionId) {
    return logs.table(table)
        .sequenceOf(transactionId)
        .map(sequence -> new CommitToken(table, sequence, transactionId));
  }

  /**
   * Submits a transaction and waits for its result.
   *
   * @throws TransactionRejectedException when it is refused at submit
   * @throws TimeoutException when it is acknowledged but not applied within the timeout; it stays
   *     in the log and will be applied
   */
  public TransactionResult execute(
      TableIdentifier table, List<SqlStatement> statements, Duration timeout)
      throws TimeoutException {
    return await(submit(table, statements), timeout);
  }

  /**
   * Waits for the result of an acknowledged transaction.
   *
   * @throws TimeoutException when no result is published within the timeout
   */
  public TransactionResult await(CommitToken token, Duration timeout) throws TimeoutException {
    TableLog log = logs.table(token.table());
    String result =
        poll(
            () -> log.results(List.of(token.sequence())).get(token.sequence()),
            timeout,
            () ->
                String.format(
                    "Transaction %d on %s is in the log but was not applied within %s%s; it will be"
                        + " applied, wait again with its token",
                    token.sequence(), token.table(), timeout, lastFailure(log)));
    return RecordCodec.decode(result, TransactionResult.class, "result of " + token);
  }

  /**
   * The result of an acknowledged transaction, without waiting: empty while it is pending, and once
   * its result is no longer kept.
   */
  public Optional<TransactionResult> result(CommitToken token) {
    String result =
        logs.table(token.table()).results(List.of(token.sequence())).get(token.sequence());
    return Optional.ofNullable(result)
        .map(text -> RecordCodec.decode(text, TransactionResult.class, "result of " + token));
  }

  /**
   * Waits until every write acknowledged on the table so far is applied (the log's watermark
   * reaches its head as it is now), asking for the apply. Returns at once when nothing is pending.
   *
   * @throws TimeoutException when the writes are not applied within the timeout
   */
  public void awaitApplied(TableIdentifier table, Duration timeout) throws TimeoutException {
    TableLog log = logs.table(table);
    JobState state = log.state();
    if (!state.hasPending()) {
      return;
    }
    long head = state.head();
    dispatcher.appended(table, head);
    poll(
        () -> log.state().watermark() >= head ? Boolean.TRUE : null,
        timeout,
        () ->
            String.format(
                "Writes to %s up to %d are acknowledged but not applied within %s%s; check that"
                    + " workers are running",
                table, head, timeout, lastFailure(log)));
  }

  /** Why the table's last apply job failed, as a clause for a message, or nothing. */
  private static String lastFailure(TableLog log) {
    try {
      return log.lastFailure().map(failure -> "; " + failure.describe(Instant.now())).orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * Polls until {@code check} gives a value, backing off from 0.2 to 20 ms between tries. A Redis
   * that cannot be read is tried again (every 100 ms at most) until the timeout, whose message then
   * says why: what is waited for is in the log whether Redis answers or not.
   */
  private static <T> T poll(Supplier<T> check, Duration timeout, Supplier<String> late)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMicros = 200;
    RedisCatalogException unreadable = null;
    while (true) {
      try {
        T value = check.get();
        if (value != null) {
          return value;
        }
        unreadable = null;
      } catch (RedisCatalogException e) {
        unreadable = e;
        pauseMicros = Math.max(pauseMicros, 100_000);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        TimeoutException timedOut =
            new TimeoutException(
                late.get()
                    + (unreadable == null
                        ? ""
                        : " (its result could not be read: " + unreadable.getMessage() + ")"));
        if (unreadable != null) {
          timedOut.initCause(unreadable);
        }
        throw timedOut;
      }
      try {
        long pause = Math.min(pauseMicros, left / 1000);
        Thread.sleep(pause / 1000, (int) (pause % 1000) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the log", e);
      }
      pauseMicros = Math.min(pauseMicros * 2, unreadable == null ? 20_000 : 100_000);
    }
  }

  /**
   * Forgets what this orchestrator knows of a table, after a change of its schema, spec or
   * identity: the next write validates against its current metadata. Without this, a change made
   * elsewhere reaches the orchestrator within a second.
   */
  public void forget(TableIdentifier identifier) {
    tables.remove(identifier);
  }

  private Table table(TableIdentifier identifier) {
    long now = System.nanoTime();
    CachedTable cached = tables.get(identifier);
    if (cached == null) {
      cached = new CachedTable(catalog.loadTable(identifier), now);
      tables.put(identifier, cached);
    } else if (now - cached.loadedAt() > TABLE_REFRESH_NANOS) {
      // a schema change reaches submitters within a second; records validated against the old
      // schema are aborted by the worker with a message saying so
      try {
        cached.table().refresh();
      } catch (RuntimeIOException | RedisCatalogException e) {
        // the object store or Redis is down: keep validating against the metadata read last, so
        // writes are still logged once the log answers; the worker checks them against the table
        // when it applies them
        LOG.warn(
            "Cannot refresh the metadata of {}; validating writes against the metadata read {} ms"
                + " ago: {}",
            identifier,
            Duration.ofNanos(now - cached.loadedAt()).toMillis(),
            e.getMessage());
      }
      tables.put(identifier, new CachedTable(cached.table(), now));
    }
    return cached.table();
  }

  private static void upload(Table table, Path file, String location) {
    OutputFile output = table.io().newOutputFile(location);
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = output.createOrOverwrite()) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage " + file + " at " + location, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the staging directory is cleared with the process
    }
  }

  @Override
  public void close() {
    validator.close();
  }
}
