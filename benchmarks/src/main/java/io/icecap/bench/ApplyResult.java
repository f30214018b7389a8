package io.icecap.bench;

import io.icecap.bench.ApplyCheck.Verification;
import io.icecap.bench.ApplyScenario.Replicas;
import io.icecap.bench.ApplyScenario.Round;
import io.icecap.bench.CheckpointParts.Parts;
import io.icecap.bench.CopyOnWriteBaseline.Result;
import java.util.List;

/**
 * What an apply benchmark run measured.
 *
 * @param options the run's settings
 * @param machine the machine and library versions
 * @param table scenario 3: the updates spread over the partitions of the large table
 * @param curve scenario 5: a fixed number of updates into one partition, by partition size
 */
record ApplyResult(ApplyOptions options, Machine machine, Repeated table, List<Repeated> curve) {
  ApplyResult {
    curve = List.copyOf(curve);
  }

  /**
   * The repetitions of one table's measurement, each on a table loaded afresh from the same data
   * with the same updates; its figures are the medians of theirs.
   *
   * @param runs every repetition, in run order
   */
  record Repeated(List<Run> runs) {
    Repeated {
      runs = List.copyOf(runs);
      if (runs.isEmpty()) {
        throw new IllegalArgumentException("A measurement needs at least one repetition");
      }
    }

    /** How many repetitions make each figure. */
    int count() {
      return runs.size();
    }

    /** The first repetition: the table's shape (rows, partitions, updates) is every one's. */
    Run first() {
      return runs.get(0);
    }

    /** The repetition whose Icecap whole-call time is the median: the one the breakdowns are of. */
    Run typical() {
      long median = QueryBenchmark.Figures.median(icecapNanos());
      return runs.stream().filter(run -> run.icecap().nanos() == median).findFirst().orElseThrow();
    }

    /** Every repetition's time applying the records in place. */
    long[] inPlaceNanos() {
      return runs.stream().mapToLong(run -> run.icecap().applyNanos()).toArray();
    }

    /** Every repetition's time of the whole worker call. */
    long[] icecapNanos() {
      return runs.stream().mapToLong(run -> run.icecap().nanos()).toArray();
    }

    /** Every repetition's time of the copy-on-write rewrite. */
    long[] copyOnWriteNanos() {
      return runs.stream().mapToLong(run -> run.copyOnWrite().nanos()).toArray();
    }

    /** Updates per second in place, over the median time. */
    double inPlaceRate() {
      return rate(inPlaceNanos());
    }

    /** Updates per second over the whole worker call, over the median time. */
    double icecapRate() {
      return rate(icecapNanos());
    }

    /** Updates per second of the copy-on-write rewrite, over the median time. */
    double copyOnWriteRate() {
      return rate(copyOnWriteNanos());
    }

    /** Icecap's median whole-call time over the rewrite's median time. */
    double timeRatio() {
      return QueryBenchmark.Figures.median(icecapNanos())
          / (double) QueryBenchmark.Figures.median(copyOnWriteNanos());
    }

    /** Whether every repetition applied every update on both sides and read back as expected. */
    boolean verified() {
      return runs.stream().allMatch(Run::verified);
    }

    private double rate(long[] nanos) {
      return first().updates() / (QueryBenchmark.Figures.median(nanos) / 1e9);
    }
  }

  /**
   * One table's updates applied by Icecap and by the copy-on-write baseline, from the same files.
   *
   * @param table the Icecap table's name (the baseline's is the same with {@code _cow})
   * @param rows the table's rows
   * @param partitions its partitions
   * @param updates the single-row updates applied
   * @param loadNanos generating its Parquet files and committing them (not a figure)
   * @param parquetBytes the table's data files, before the updates (both sides start from them)
   * @param cold the first round of the worker: every partition imported from Parquet, then
   *     checkpointed (it fills the worker's cache; not the figure)
   * @param submitNanos appending the updates to the log, one transaction each (not a figure)
   * @param icecap the worker call that applied the updates
   * @param results what the worker published for them
   * @param replicas the replicas the checkpoint left
   * @param writtenParquetBytes the Parquet bytes the checkpoint wrote
   * @param icecapCheck the Icecap table read back with Iceberg's reader
   * @param parts the checkpoint's parts done again on their own (the curve's tables), else null
   * @param copyOnWrite the baseline's rewrite
   * @param copyOnWriteCheck the baseline's table read back with Iceberg's reader
   */
  record Run(
      String table,
      long rows,
      int partitions,
      int updates,
      long loadNanos,
      long parquetBytes,
      Round cold,
      long submitNanos,
      Round icecap,
      ResultTally results,
      Replicas replicas,
      long writtenParquetBytes,
      Verification icecapCheck,
      Parts parts,
      Result copyOnWrite,
      Verification copyOnWriteCheck) {
    /** Whether both sides applied every update and read back exactly as expected. */
    boolean verified() {
      return !icecap.pending() && results.allOk() && icecapCheck.ok() && copyOnWriteCheck.ok();
    }

    /** Updates per second in place: the records applied, not checkpointed. */
    double inPlaceRate() {
      return updates / (icecap.applyNanos() / 1e9);
    }

    /** Updates per second over the whole worker call: planning, applying, checkpointing. */
    double icecapRate() {
      return updates / (icecap.nanos() / 1e9);
    }

    /** Updates per second of the copy-on-write rewrite, planning to commit. */
    double copyOnWriteRate() {
      return updates / (copyOnWrite.nanos() / 1e9);
    }

    /** Icecap's whole call over the copy-on-write rewrite's time: below 1, Icecap took less. */
    double timeRatio() {
      return icecap.nanos() / (double) copyOnWrite.nanos();
    }
  }
}
