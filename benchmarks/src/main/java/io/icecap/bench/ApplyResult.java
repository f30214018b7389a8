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
record ApplyResult(ApplyOptions options, Machine machine, Run table, List<Run> curve) {
  ApplyResult {
    curve = List.copyOf(curve);
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
