package io.icecap.worker;

/**
 * How a compaction runs.
 *
 * @param targetFileSizeBytes the size of the data files it writes, and three quarters of which
 *     makes a file small
 * @param minSmallFiles a partition is compacted when it has at least this many small data files (or
 *     any delete file, or files of an older partition spec); also the number of small manifests
 *     from which the manifests are rewritten
 * @param dryRun whether to only report what would be rewritten, writing nothing
 * @param attempts how many times a compaction that conflicts with another commit, or finds a
 *     partition leased by an apply job, is tried before it gives up
 */
public record CompactionOptions(
    long targetFileSizeBytes, int minSmallFiles, boolean dryRun, int attempts) {
  /** How many times a compaction is tried by default. */
  public static final int DEFAULT_ATTEMPTS = 4;

  /** Checks the values. */
  public CompactionOptions {
    if (targetFileSizeBytes < 1) {
      throw new IllegalArgumentException(
          "The target file size of a compaction must be positive, not " + targetFileSizeBytes);
    }
    if (minSmallFiles < 1) {
      throw new IllegalArgumentException(
          "The number of small files that makes a partition compacted must be positive, not "
              + minSmallFiles);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException(
          "A compaction needs at least one attempt, not " + attempts);
    }
  }

  /** The size below which a data file is small: three quarters of the target. */
  long smallFileBytes() {
    return targetFileSizeBytes - targetFileSizeBytes / 4;
  }
}
