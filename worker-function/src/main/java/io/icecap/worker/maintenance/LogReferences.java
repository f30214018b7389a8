package io.icecap.worker.maintenance;

import io.icecap.txn.log.JobState;
import io.icecap.txn.log.Lease;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.worker.JobFiles;
import io.icecap.worker.ReplicaEntries;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a table's transaction state in Redis keeps in use, read in one step after the files
 * were listed: the replicas the replica map names, the staged insert files of records not applied
 * yet, and the fencing tokens of the leases held. A file whose name carries a held token belongs to
 * a job that may still commit it.
 *
 * <p>The state is as untrusted as the log: a replica entry that does not decode or names a file
 * outside the table's replicas, and a record that does not decode, are ignored — they make no file
 * a reference (no job would use what they name).
 *
 * @param replicas the replica files the replica map names
 * @param staged the staged insert files of the records above the watermark not applied yet
 * @param tokens the fencing tokens of every lease in the leases hash, expired or not: {@code
 *     finish.lua} checks that a lease holds the job's token, not that it is unexpired, so a job
 *     whose lease expired can still commit until another job takes the lease over
 */
record LogReferences(Set<String> replicas, Set<String> staged, Set<Long> tokens) {
  private static final Logger LOG = LoggerFactory.getLogger(LogReferences.class);
  private static final int PAGE = 1000;

  LogReferences {
    replicas = Set.copyOf(replicas);
    staged = Set.copyOf(staged);
    tokens = Set.copyOf(tokens);
  }

  /** Reads the references of a table's state and its unapplied records. */
  static LogReferences read(Table table, TableLog log) {
    JobState state = log.state();
    Set<String> replicas = new HashSet<>();
    for (String value : state.replicas().values()) {
      String file = ReplicaEntries.replicaFile(table, value);
      if (file != null) {
        replicas.add(file);
      }
    }
    Set<Long> tokens = new HashSet<>();
    for (Lease lease : state.leases().values()) {
      tokens.add(lease.token());
    }
    Set<String> staged = new HashSet<>();
    int unreadable = 0;
    long from = state.watermark() + 1;
    while (from <= state.head()) {
      List<LogEntry> entries = log.read(from, state.head(), PAGE);
      if (entries.isEmpty()) {
        break;
      }
      for (LogEntry entry : entries) {
        if (state.isApplied(entry.sequence())) {
          continue;
        }
        try {
          TransactionRecord record =
              RecordCodec.decode(
                  entry.record(),
                  TransactionRecord.class,
                  "record " + entry.sequence() + " of " + table.name());
          for (RecordStatement statement : record.statements()) {
            if (statement.staged() != null) {
              staged.add(statement.staged());
            }
          }
        } catch (RuntimeException e) {
          unreadable++;
        }
      }
      from = entries.get(entries.size() - 1).sequence() + 1;
    }
    if (unreadable > 0) {
      LOG.warn(
          "{} unapplied records of {} do not decode; they name no staged file (a job aborts them)",
          unreadable,
          table.name());
    }
    return new LogReferences(replicas, staged, tokens);
  }

  /** Whether the file was uploaded by a job that holds a lease, and so may still commit it. */
  boolean ofRunningJob(String location) {
    OptionalLong token = JobFiles.token(location);
    return token.isPresent() && tokens.contains(token.getAsLong());
  }
}
