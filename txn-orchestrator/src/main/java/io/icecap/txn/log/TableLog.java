package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.CommitRejectedException;
import io.icecap.catalog.RedisCatalogException;
import io.icecap.catalog.RedisKeys;
import io.icecap.catalog.RedisSession;
import io.icecap.catalog.UncertainOutcomeException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The log of one table and the state beside it. Every change is one Lua script over the table's
 * keys, which share one hash slot.
 */
public final class TableLog {
  /** How long a transaction id is remembered, so that a resent append is not applied twice. */
  public static final Duration TRANSACTION_ID_MEMORY = Duration.ofMinutes(2);

  /** The longest an append whose answer was lost is sent again, by default. */
  public static final Duration DEFAULT_RESEND_WINDOW = Duration.ofSeconds(30);

  /**
   * The longest resend window: its last request, and the command timeout it may wait for, must end
   * well within the {@link #TRANSACTION_ID_MEMORY} that makes a resent append happen once.
   */
  public static final Duration MAX_RESEND_WINDOW = Duration.ofSeconds(60);

  static final long FIRST_PAUSE_MILLIS = 50;
  static final long MAX_PAUSE_MILLIS = 2_000;

  /** The longest error {@link #recordFailure} keeps. */
  static final int MAX_ERROR = 2_000;

  private final TableIdentifier table;
  private final RedisSession redis;
  private final Duration resendWindow;
  private final String meta;
  private final String seq;
  private final String log;
  private final String state;
  private final String done;
  private final String replicas;
  private final String leases;
  private final String results;
  private final String resultTimes;
  private final String txns;
  private final String txnTimes;

  TableLog(TableIdentifier table, RedisSession redis, RedisKeys keys, Duration resendWindow) {
    this.table = requireNonNull(table, "table is null");
    this.redis = requireNonNull(redis, "redis is null");
    this.resendWindow = requireNonNull(resendWindow, "resendWindow is null");
    this.meta = keys.tableMeta(table);
    this.seq = keys.tableKey(table, "seq");
    this.log = keys.tableKey(table, "log");
    this.state = keys.tableKey(table, "state");
    this.done = keys.tableKey(table, "done");
    this.replicas = keys.tableKey(table, "replicas");
    this.leases = keys.tableKey(table, "leases");
    this.results = keys.tableKey(table, "results");
    this.resultTimes = keys.tableKey(table, "result-times");
    this.txns = keys.tableKey(table, "txns");
    this.txnTimes = keys.tableKey(table, "txn-times");
  }

  /** The table. */
  public TableIdentifier table() {
    return table;
  }

  /**
   * Appends a transaction with the next sequence number. A request whose answer was lost (a
   * timeout, or a connection that failed after the request went out) is sent again under the same
   * transaction id, which the log remembers, so the transaction is appended once: after pauses
   * growing from {@value #FIRST_PAUSE_MILLIS} ms to {@value #MAX_PAUSE_MILLIS} ms, until the resend
   * window has passed since the first request.
   *
   * @return the transaction's sequence number
   * @throws NoSuchTableException when the catalog has no such table
   * @throws AppendOutcomeUnknownException when the request was sent but no answer came within the
   *     resend window: the transaction may be in the log
   * @throws RedisCatalogException when Redis is unreachable or refuses the request before it could
   *     have run: the transaction is not in the log
   */
  public long append(String transactionId, String record) {
    List<String> keys = List.of(meta, seq, log, txns, txnTimes);
    List<String> args =
        List.of(transactionId, record, Long.toString(TRANSACTION_ID_MEMORY.toMillis()));
    long start = System.nanoTime();
    long pauseMillis = FIRST_PAUSE_MILLIS;
    RuntimeException lost = null;
    while (true) {
      try {
        List<Object> reply = redis.script("append to " + table, LogScript.APPEND, keys, args);
        if ("NO_TABLE".equals(reply.get(0))) {
          throw new NoSuchTableException("Cannot write to table %s: it does not exist", table);
        }
        return Long.parseLong((String) reply.get(1));
      } catch (UncertainOutcomeException e) {
        lost = e;
      } catch (RedisCatalogException e) {
        if (lost == null) {
          // no request of this transaction has reached Redis: it is not in the log
          throw e;
        }
        // an earlier request may have run; only an answer from Redis can tell
        lost = e;
      }
      Duration tried = Duration.ofNanos(System.nanoTime() - start);
      Duration left = resendWindow.minus(tried);
      if (left.isNegative() || left.isZero()) {
        throw new AppendOutcomeUnknownException(table, transactionId, tried, lost);
      }
      try {
        Thread.sleep(Math.min(pauseMillis, Math.max(1, left.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AppendOutcomeUnknownException(table, transactionId, tried, lost);
      }
      pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
    }
  }

  /**
   * The sequence number of a transaction by the id it was appended under, while the log remembers
   * it: at least {@link #TRANSACTION_ID_MEMORY} after its append.
   *
   * @return the sequence number, or empty when no transaction of that id was appended within that
   *     time
   */
  public Optional<Long> sequenceOf(String transactionId) {
    String known =
        redis.call(
            "look up transaction " + transactionId + " of " + table,
            r -> r.hget(txns, transactionId));
    return known == null ? Optional.empty() : Optional.of(Long.parseLong(known));
  }

  /**
   * Reads what an apply job starts from.
   *
   * @throws NoSuchTableException when the catalog has no such table
   */
  @SuppressWarnings("unchecked")
  public JobState state() {
    List<Object> reply =
        redis.script(
            "read the log state of " + table,
            LogScript.JOB_STATE,
            List.of(meta, seq, state, done, replicas, leases),
            List.of());
    if ("NO_TABLE".equals(reply.get(0))) {
      throw new NoSuchTableException("Cannot apply the log of table %s: it does not exist", table);
    }
    Set<Long> applied = new HashSet<>();
    for (Object member : (List<Object>) reply.get(5)) {
      applied.add(Long.parseLong((String) member));
    }
    List<Object> replicaFields = (List<Object>) reply.get(6);
    Map<String, String> replicaMap = new HashMap<>();
    for (int i = 0; i < replicaFields.size(); i += 2) {
      replicaMap.put((String) replicaFields.get(i), (String) replicaFields.get(i + 1));
    }
    List<Object> leaseFields = (List<Object>) reply.get(7);
    Map<String, Lease> leaseMap = new HashMap<>();
    for (int i = 0; i < leaseFields.size(); i += 2) {
      leaseMap.put((String) leaseFields.get(i), Lease.parse((String) leaseFields.get(i + 1)));
    }
    return new JobState(
        (String) reply.get(1),
        Long.parseLong((String) reply.get(2)),
        Long.parseLong((String) reply.get(3)),
        Long.parseLong((String) reply.get(4)),
        applied,
        replicaMap,
        leaseMap);
  }

  /**
   * The log's records with sequence numbers from {@code from} to {@code to}, at most {@code max}.
   */
  public List<LogEntry> read(long from, long to, int max) {
    List<StreamMessage<String, String>> messages =
        redis.call(
            "read the log of " + table,
            r -> r.xrange(log, Range.create(from + "-0", to + "-0"), Limit.from(max)));
    List<LogEntry> entries = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> message : messages) {
      String id = message.getId();
      if (!id.endsWith("-0")) {
        // append.lua writes one entry per sequence number, as <seq>-0; another id was not
        // appended by a submit, and no sequence number stands for it
        continue;
      }
      entries.add(
          new LogEntry(
              Long.parseLong(id.substring(0, id.indexOf('-'))),
              message.getBody().get("r"),
              number(message.getBody().get("t"))));
    }
    return entries;
  }

  /** A number the log's state holds, 0 when it is missing or not a number. */
  private static long number(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Takes the leases of partitions, all or none.
   *
   * @return the fencing token, or empty when another owner holds one of them
   */
  public Optional<Long> acquireLeases(String owner, Duration leaseTime, Collection<String> keys) {
    List<String> args = new ArrayList<>();
    args.add(owner);
    args.add(Long.toString(leaseTime.toMillis()));
    args.addAll(keys);
    List<Object> reply =
        redis.script(
            "take partition leases of " + table,
            LogScript.ACQUIRE_LEASES,
            List.of(state, leases),
            args);
    if ("BUSY".equals(reply.get(0))) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong((String) reply.get(1)));
  }

  /**
   * Extends leases held under {@code token}.
   *
   * @return the partitions whose lease another job holds now (empty when all are still held)
   */
  public List<String> renewLeases(long token, Duration leaseTime, Collection<String> keys) {
    return renew(token, leaseTime.toMillis(), keys);
  }

  /** Releases the leases held under {@code token}; leases another job holds are left alone. */
  public void releaseLeases(long token, Collection<String> keys) {
    renew(token, 0, keys);
  }

  private List<String> renew(long token, long millis, Collection<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    args.add(Long.toString(token));
    args.add(Long.toString(millis));
    args.addAll(keys);
    List<Object> reply =
        redis.script(
            (millis > 0 ? "renew" : "release") + " partition leases of " + table,
            LogScript.RENEW_LEASES,
            List.of(leases),
            args);
    List<String> lost = new ArrayList<>();
    for (int i = 1; i < reply.size(); i++) {
      lost.add((String) reply.get(i));
    }
    return lost;
  }

  /**
   * Publishes an apply job's work; with {@code expected} and {@code next} metadata locations it is
   * also the pointer swap of the job's snapshot (see {@code TableCommits}).
   *
   * @param expected the metadata location the snapshot was based on, or null without a snapshot
   * @param next the new metadata location, or null without a snapshot
   * @return the new watermark
   * @throws CommitFailedException when the pointer has moved (Iceberg retries on a refreshed base)
   * @throws CommitRejectedException when a lease was taken over or a record was applied already
   * @throws UncertainOutcomeException when the answer was lost
   */
  public long finish(String expected, String next, Finish finish, Duration resultRetention) {
    List<String> args = new ArrayList<>();
    args.add(expected == null ? "" : expected);
    args.add(next == null ? "" : next);
    args.add(Long.toString(finish.token()));
    args.add(Long.toString(resultRetention.toMillis()));
    args.add(Integer.toString(finish.replicas().size()));
    finish
        .replicas()
        .forEach(
            (key, entry) -> {
              args.add(key);
              args.add(entry);
            });
    args.add(Integer.toString(finish.results().size()));
    finish
        .results()
        .forEach(
            (sequence, result) -> {
              args.add(Long.toString(sequence));
              args.add(result);
            });
    List<Object> reply =
        redis.script(
            "publish applied records of " + table,
            LogScript.FINISH,
            List.of(meta, state, done, replicas, leases, results, resultTimes, log),
            args);
    switch ((String) reply.get(0)) {
      case "OK":
        return "RESENT".equals(reply.get(1)) ? -1 : Long.parseLong((String) reply.get(1));
      case "NO_TABLE":
        throw new NoSuchTableException("Cannot commit to table %s: it was dropped", table);
      case "CONFLICT":
        throw new CommitFailedException(
            "Cannot commit to table %s: its metadata location has changed from %s to %s",
            table, expected, reply.get(1));
      case "FENCED":
        throw new CommitRejectedException(
            "Cannot commit to table %s: the lease of partition '%s' is now held by another job"
                + " (%s); its work is discarded and the other job applies the log",
            table, reply.get(1), reply.get(2));
      case "APPLIED":
        throw new CommitRejectedException(
            "Cannot commit to table %s: record %s was applied by another job meanwhile; this"
                + " job's work is discarded",
            table, reply.get(1));
      default:
        throw new IllegalStateException("Unexpected reply from Redis: " + reply);
    }
  }

  /**
   * Records why an apply job failed, for clients waiting on the table's records, and counts the
   * failures in a row that sweepers back off by ({@link JobFailure#retryAt}); the next job that
   * publishes its work clears both. The error is cut to {@value #MAX_ERROR} characters.
   */
  public void recordFailure(String worker, String error) {
    String text = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error;
    List<Object> reply =
        redis.script(
            "record a failed apply job of " + table,
            LogScript.RECORD_FAILURE,
            List.of(meta, state),
            List.of(worker, text));
    if ("NO_TABLE".equals(reply.get(0))) {
      throw new NoSuchTableException("Cannot record a failed job of %s: it was dropped", table);
    }
  }

  /** Why the last apply job failed, unless a job has published its work since. */
  public Optional<JobFailure> lastFailure() {
    List<KeyValue<String, String>> fields =
        redis.call(
            "read the last failed apply job of " + table,
            commands ->
                commands.hmget(
                    state, "failure_at", "failure_worker", "failure_error", "failure_count"));
    if (fields.subList(0, 3).stream().anyMatch(field -> !field.hasValue())) {
      return Optional.empty();
    }
    KeyValue<String, String> count = fields.get(3);
    return Optional.of(
        new JobFailure(
            Instant.ofEpochMilli(Long.parseLong(fields.get(0).getValue())),
            fields.get(1).getValue(),
            fields.get(2).getValue(),
            count.hasValue() ? Math.max(1, Integer.parseInt(count.getValue())) : 1));
  }

  /**
   * Takes the table's maintenance lease for {@code leaseTime}, or renews it when {@code owner}
   * holds it.
   *
   * @return whether {@code owner} holds it now (false: another owner's run is under way)
   * @throws NoSuchTableException when the table does not exist
   */
  public boolean takeMaintenanceLease(String owner, Duration leaseTime) {
    List<Object> reply =
        redis.script(
            "take the maintenance lease of " + table,
            LogScript.MAINTENANCE_LEASE,
            List.of(meta, state),
            List.of(owner, Long.toString(leaseTime.toMillis()), "take"));
    if ("NO_TABLE".equals(reply.get(0))) {
      throw new NoSuchTableException("Table does not exist: %s", table);
    }
    return "OK".equals(reply.get(0));
  }

  /** Releases the table's maintenance lease if {@code owner} holds it. */
  public void releaseMaintenanceLease(String owner) {
    redis.script(
        "release the maintenance lease of " + table,
        LogScript.MAINTENANCE_LEASE,
        List.of(meta, state),
        List.of(owner, "0", "release"));
  }

  /**
   * Records a maintenance run (when its tasks ran, what it removed, its error) and releases its
   * lease. The error is cut to {@value #MAX_ERROR} characters.
   *
   * @param tasks the names of the tasks that ran, lower case
   * @param error the run's error, or null
   */
  public void recordMaintenance(
      String owner, Collection<String> tasks, long filesRemoved, long bytesRemoved, String error) {
    String text =
        error == null
            ? ""
            : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error;
    List<String> args = new ArrayList<>();
    args.add(owner);
    args.add(Long.toString(filesRemoved));
    args.add(Long.toString(bytesRemoved));
    args.add(text);
    args.addAll(tasks);
    List<Object> reply =
        redis.script(
            "record a maintenance run of " + table,
            LogScript.MAINTENANCE_DONE,
            List.of(meta, state),
            args);
    if ("NO_TABLE".equals(reply.get(0))) {
      throw new NoSuchTableException("Cannot record maintenance of %s: it was dropped", table);
    }
  }

  /** The table's maintenance state. */
  public MaintenanceState maintenance() {
    Map<String, String> fields =
        redis.call("read the maintenance state of " + table, commands -> commands.hgetall(state));
    Map<String, String> maintenance = new HashMap<>();
    fields.forEach(
        (field, value) -> {
          if (field.startsWith(MaintenanceState.PREFIX)) {
            maintenance.put(field, value);
          }
        });
    return MaintenanceState.of(maintenance, serverTime());
  }

  /** The time by Redis's clock, which {@link JobFailure#at} and leases are measured by. */
  public Instant serverTime() {
    List<String> time = redis.call("read the time of Redis", commands -> commands.time());
    return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1_000);
  }

  /** How many of the table's records were aborted when applied, and the last one. */
  public AbortedRecords aborted() {
    List<KeyValue<String, String>> fields =
        redis.call(
            "read the aborted records of " + table,
            commands ->
                commands.hmget(
                    state, "aborted", "aborted_last_seq", "aborted_last_error", "aborted_last_at"));
    if (!fields.get(0).hasValue()) {
      return AbortedRecords.NONE;
    }
    return new AbortedRecords(
        number(fields.get(0).getValue()),
        fields.get(1).hasValue() ? number(fields.get(1).getValue()) : 0,
        fields.get(2).hasValue() ? fields.get(2).getValue() : "",
        fields.get(3).hasValue() ? number(fields.get(3).getValue()) : 0);
  }

  /** The results of records, by sequence number; records without one are missing. */
  public Map<Long, String> results(Collection<Long> sequences) {
    if (sequences.isEmpty()) {
      return Map.of();
    }
    String[] fields = sequences.stream().map(String::valueOf).toArray(String[]::new);
    Map<Long, String> found = new HashMap<>();
    redis
        .call("read results of " + table, r -> r.hmget(results, fields))
        .forEach(
            value -> {
              if (value.hasValue()) {
                found.put(Long.parseLong(value.getKey()), value.getValue());
              }
            });
    return found;
  }
}
