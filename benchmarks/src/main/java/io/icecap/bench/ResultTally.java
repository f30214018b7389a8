package io.icecap.bench;

import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.TransactionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the worker published for a set of acknowledged writes: how many were committed with the
 * expected row count, so a benchmark cannot count writes that did nothing.
 *
 * @param expected the writes checked
 * @param ok committed, touching exactly the expected rows
 * @param wrongRows committed, touching another number of rows
 * @param aborted aborted by the worker
 * @param missing without a published result
 * @param firstProblem the first aborted write's error or wrong count, else null
 */
record ResultTally(
    int expected, int ok, int wrongRows, int aborted, int missing, String firstProblem) {
  private static final int BATCH = 1_000;

  /** Reads the results of {@code sequences} from the table's log. */
  static ResultTally of(TableLog log, long[] sequences, long expectedRows) {
    int ok = 0;
    int wrongRows = 0;
    int aborted = 0;
    int missing = 0;
    String firstProblem = null;
    for (int from = 0; from < sequences.length; from += BATCH) {
      List<Long> batch = new ArrayList<>();
      for (int i = from; i < Math.min(sequences.length, from + BATCH); i++) {
        batch.add(sequences[i]);
      }
      Map<Long, String> results = log.results(batch);
      for (long sequence : batch) {
        String value = results.get(sequence);
        if (value == null) {
          missing++;
          continue;
        }
        TransactionResult result =
            RecordCodec.decode(value, TransactionResult.class, "result " + sequence);
        if (!result.committed()) {
          aborted++;
          firstProblem = firstProblem != null ? firstProblem : sequence + ": " + result.error();
        } else if (result.totalRows() != expectedRows) {
          wrongRows++;
          firstProblem =
              firstProblem != null
                  ? firstProblem
                  : String.format(
                      "%d: %d rows instead of %d", sequence, result.totalRows(), expectedRows);
        } else {
          ok++;
        }
      }
    }
    return new ResultTally(sequences.length, ok, wrongRows, aborted, missing, firstProblem);
  }

  /** Both tallies as one, for writes to several tables; the first problem is this one's first. */
  ResultTally plus(ResultTally other) {
    return new ResultTally(
        expected + other.expected,
        ok + other.ok,
        wrongRows + other.wrongRows,
        aborted + other.aborted,
        missing + other.missing,
        firstProblem != null ? firstProblem : other.firstProblem);
  }

  /** Whether every write was committed with the expected row count. */
  boolean allOk() {
    return ok == expected;
  }

  /** A short account for the report, such as {@code 5,000/5,000 ok}. */
  String describe() {
    String text = String.format("%,d/%,d ok", ok, expected);
    if (allOk()) {
      return text;
    }
    return text
        + String.format(
            " (%,d wrong row count, %,d aborted, %,d without result; first: %s)",
            wrongRows, aborted, missing, firstProblem);
  }
}
