package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.apache.iceberg.BaseMetastoreOperations.CommitStatus;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of one table of a {@link RedisCatalog}. A commit writes the new metadata file,
 * then swaps the pointer in Redis with one compare-and-swap script.
 */
final class RedisTableOperations extends BaseMetastoreTableOperations {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTableOperations.class);

  /**
   * How often a metadata file read is tried again (after 100 ms, then 400 ms). The object store's
   * client already retries each request; Iceberg's default of 20 tries, backing off to 5 s, would
   * hold a reader for minutes while the store is down.
   */
  static final int METADATA_READ_RETRIES = 2;

  private final String catalogName;
  private final TableIdentifier identifier;
  private final CatalogState state;
  private final FileIO io;
  private volatile MetadataSwap customSwap;

  RedisTableOperations(
      String catalogName, TableIdentifier identifier, CatalogState state, FileIO io) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.identifier = requireNonNull(identifier, "identifier is null");
    this.state = requireNonNull(state, "state is null");
    this.io = requireNonNull(io, "io is null");
  }

  /** Makes the following commits swap the pointer with {@code swap}; null restores the default. */
  void swapWith(MetadataSwap swap) {
    this.customSwap = swap;
  }

  @Override
  protected String tableName() {
    return catalogName + "." + identifier;
  }

  @Override
  public FileIO io() {
    return io;
  }

  @Override
  protected void doRefresh() {
    String location = state.metadataLocation(identifier);
    if (location == null) {
      if (currentMetadataLocation() != null) {
        throw new NoSuchTableException(
            "Cannot refresh table %s: it was dropped by another process", tableName());
      }
      disableRefresh();
      return;
    }
    try {
      refreshFromMetadataLocation(location, null, METADATA_READ_RETRIES);
    } catch (NotFoundException e) {
      throw new NotFoundException(
          e,
          "%s; it is the current metadata file of table %s, so the table cannot be read. Restore"
              + " the file, or drop the table without purge and register an older metadata file",
          e.getMessage(),
          tableName());
    } catch (RuntimeIOException e) {
      throw e;
    } catch (RuntimeException e) {
      if (e.getClass().getName().startsWith("org.apache.iceberg.exceptions.")) {
        throw e;
      }
      // the object store's own errors (an S3 client exception, say) say nothing of the table
      throw new RuntimeIOException(
          new IOException(e.getMessage(), e),
          "Cannot read metadata file %s of table %s: %s; check that the warehouse's object store"
              + " is reachable and the credentials are valid",
          location,
          tableName(),
          e.getMessage());
    }
  }

  @Override
  protected void doCommit(TableMetadata base, TableMetadata metadata) {
    boolean newTable = base == null;
    checkColumnNames(base, metadata);
    String newLocation = writeNewMetadataIfRequired(newTable, metadata);
    try {
      if (newTable) {
        state.createTable(identifier, newLocation);
      } else if (customSwap != null) {
        customSwap.swap(base.metadataFileLocation(), newLocation);
      } else {
        state.swapMetadataLocation(identifier, base.metadataFileLocation(), newLocation);
      }
    } catch (CommitFailedException
        | CommitRejectedException
        | AlreadyExistsException
        | NoSuchNamespaceException
        | NoSuchTableException e) {
      // Redis answered: the pointer was not swapped, so nothing refers to the new file.
      deleteQuietly(newLocation);
      throw e;
    } catch (UncertainOutcomeException e) {
      resolveUncertainCommit(newTable, newLocation, metadata, e);
    } catch (RedisCatalogException e) {
      // Redis refused the request or could not be reached before it was sent: not applied.
      deleteQuietly(newLocation);
      throw e;
    }
  }

  /**
   * Refuses a schema this commit adds whose sibling columns differ only in case: DuckDB, which
   * applies Icecap's writes and runs its queries, cannot hold them. Schemas the table has already
   * stay readable through their own errors; a commit that renames such a column is allowed.
   */
  private void checkColumnNames(TableMetadata base, TableMetadata metadata) {
    java.util.Set<Integer> known = base == null ? java.util.Set.of() : base.schemasById().keySet();
    for (org.apache.iceberg.Schema schema : metadata.schemas()) {
      if (known.contains(schema.schemaId())) {
        continue;
      }
      NameCase.columnClash(schema)
          .ifPresent(
              clash -> {
                throw new ValidationException(
                    "Cannot commit table %s: columns %s and %s differ only in case, which DuckDB"
                        + " (and so Icecap) cannot tell apart; give one of them another name",
                    tableName(), clash.get(0), clash.get(1));
              });
    }
  }

  /** After a request whose answer was lost: find out whether the pointer now names our file. */
  private void resolveUncertainCommit(
      boolean newTable, String newLocation, TableMetadata metadata, UncertainOutcomeException e) {
    CommitStatus status =
        newTable
            ? checkCommitStatus(
                tableName(),
                newLocation,
                metadata.properties(),
                () -> newLocation.equals(state.metadataLocation(identifier)))
            : checkCommitStatus(newLocation, metadata);
    switch (status) {
      case SUCCESS:
        LOG.info(
            "Commit to {} succeeded although its answer was lost: {}", tableName(), e.getMessage());
        return;
      case FAILURE:
        // The new file is kept: a request still in flight could yet name it.
        throw new CommitFailedException(
            e,
            "Cannot commit to table %s: the commit was not applied (%s)",
            tableName(),
            e.getMessage());
      default:
        throw new CommitStateUnknownException(e);
    }
  }

  private void deleteQuietly(String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete uncommitted metadata file {} of {}", location, tableName(), e);
    }
  }
}
