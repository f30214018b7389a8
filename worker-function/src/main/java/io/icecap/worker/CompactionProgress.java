package io.icecap.worker;

/** Where a compaction reports, partition by partition, how far it got. */
@FunctionalInterface
public interface CompactionProgress {
  /** Reports nothing. */
  CompactionProgress NONE = (step, partition, done, total) -> {};

  /**
   * Reports that a partition went through a step.
   *
   * @param step what was done ("read", "written")
   * @param partition the partition's path ({@code day=2026-11-20}), empty for an unpartitioned
   *     table
   * @param done how many partitions went through the step so far
   * @param total how many partitions the compaction rewrites
   */
  void partition(String step, String partition, int done, int total);
}
