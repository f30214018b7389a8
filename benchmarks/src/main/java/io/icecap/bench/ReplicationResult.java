package io.icecap.bench;

/**
 * What a replication benchmark run measured, and where.
 *
 * @param options the run's settings
 * @param machine the machine and library versions
 * @param sourceBytes the size of the DuckDB file holding the generated partition
 * @param icecapFiles how many Parquet files Icecap wrote for the partition
 * @param export the DuckDB to Parquet scenario
 * @param importing the Parquet to DuckDB scenario
 */
record ReplicationResult(
    ReplicationOptions options,
    Machine machine,
    long sourceBytes,
    int icecapFiles,
    Scenario export,
    Scenario importing) {

  /**
   * One scenario measured for Icecap and for raw DuckDB on the same data.
   *
   * @param name the scenario as shown in the table
   * @param icecap Icecap's measurement
   * @param baseline raw DuckDB's measurement
   */
  record Scenario(String name, Measurement icecap, Measurement baseline) {
    /** Icecap's median time over the baseline's: the replication overhead. */
    double ratio() {
      return icecap.medianSeconds() / baseline.medianSeconds();
    }
  }
}
