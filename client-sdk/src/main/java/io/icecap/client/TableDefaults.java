package io.icecap.client;

import io.icecap.worker.maintenance.MaintenancePolicy;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.TableProperties;

/**
 * The Iceberg table properties Icecap gives the tables it creates. A table Icecap writes commits
 * once per checkpoint, so every file a commit leaves behind must have an owner that removes it:
 * here, Iceberg's own table operations delete the metadata files that drop out of the metadata log
 * after each commit, and snapshots are kept an hour (maintenance expires older ones and deletes
 * what only they referenced). A table another engine created keeps its own properties; a user may
 * change these with any engine's {@code ALTER TABLE … SET TBLPROPERTIES}.
 */
final class TableDefaults {
  /**
   * How many earlier metadata files a table keeps (Iceberg's default): enough for Iceberg to tell a
   * commit whose answer was lost by its file's place in the metadata log, and for a reader that
   * read the table's pointer just before the latest commits to still find its file.
   */
  static final int PREVIOUS_METADATA_VERSIONS = 100;

  /**
   * The properties, with the snapshot retention of {@link MaintenancePolicy#ICECAP_DEFAULTS}; a
   * statement's {@code TBLPROPERTIES} override them.
   */
  static final Map<String, String> PROPERTIES = properties();

  private static Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>(MaintenancePolicy.ICECAP_DEFAULTS);
    properties.put(TableProperties.FORMAT_VERSION, String.valueOf(DdlProperties.FORMAT_VERSION));
    properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    properties.put(
        TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, String.valueOf(PREVIOUS_METADATA_VERSIONS));
    return Map.copyOf(properties);
  }

  private TableDefaults() {}
}
