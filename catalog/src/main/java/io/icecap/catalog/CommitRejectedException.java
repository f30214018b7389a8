package io.icecap.catalog;

import org.apache.iceberg.exceptions.CleanableFailure;

/**
 * Redis refused a commit for a reason that trying again cannot fix, such as a worker's lease that
 * another worker has taken over. The new metadata file is deleted; the table is unchanged.
 */
public class CommitRejectedException extends RuntimeException implements CleanableFailure {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code String.format(message, args)}. */
  public CommitRejectedException(String message, Object... args) {
    super(String.format(message, args));
  }
}
