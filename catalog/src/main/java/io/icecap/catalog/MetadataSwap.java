package io.icecap.catalog;

/**
 * Swaps a table's metadata pointer in Redis in place of the catalog's own compare-and-swap, so that
 * the swap and other state of the table change in one atomic script. See {@link
 * TableCommits#commitWith}.
 */
@FunctionalInterface
public interface MetadataSwap {
  /**
   * Moves the pointer from {@code expected} to {@code next}, or does nothing when it already names
   * {@code next}.
   *
   * @throws org.apache.iceberg.exceptions.CommitFailedException when the pointer names another
   *     file: Iceberg refreshes and tries again
   * @throws CommitRejectedException when the commit must not be applied and retrying cannot help
   * @throws UncertainOutcomeException when the request was sent and its answer lost
   */
  void swap(String expected, String next);
}
