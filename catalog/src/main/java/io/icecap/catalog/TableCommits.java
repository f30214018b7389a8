package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;

/** Commits to tables of a {@link RedisCatalog} with a custom metadata swap. */
public final class TableCommits {
  private TableCommits() {}

  /**
   * Runs {@code commit} (for example {@code overwrite::commit}) so that every pointer swap it makes
   * on {@code table} goes through {@code swap} instead of the catalog's compare-and-swap. Iceberg's
   * retries after a {@code CommitFailedException} call {@code swap} again.
   *
   * @throws IllegalArgumentException when the table does not belong to a {@link RedisCatalog}
   */
  public static void commitWith(Table table, MetadataSwap swap, Runnable commit) {
    requireNonNull(swap, "swap is null");
    if (!(table instanceof HasTableOperations)
        || !(((HasTableOperations) table).operations() instanceof RedisTableOperations)) {
      throw new IllegalArgumentException(
          "Cannot commit " + table.name() + " with a custom swap: it is not a RedisCatalog table");
    }
    RedisTableOperations operations =
        (RedisTableOperations) ((HasTableOperations) table).operations();
    operations.swapWith(swap);
    try {
      commit.run();
    } finally {
      operations.swapWith(null);
    }
  }
}
