package io.icecap.txn.validate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The settings that confine a DuckDB database which runs SQL from a log or a user: no file or
 * network access outside the directories it is given, no extension installed or loaded, and its
 * configuration locked, so that no later statement can undo any of it.
 */
public final class SandboxedDuckDb {
  private SandboxedDuckDb() {}

  /**
   * Confines the database of {@code connection}. Everything the database itself must reach (its own
   * file, its temporary files, files its owner reads or writes through it) must lie in {@code
   * allowed}; once this returns, no setting of the database can change.
   *
   * @param allowed directories whose files the database may read and write
   */
  public static void confine(Connection connection, List<Path> allowed) throws SQLException {
    StringBuilder directories = new StringBuilder("[");
    for (Path directory : allowed) {
      String text = directory.toAbsolutePath().normalize().toString();
      directories
          .append(directories.length() == 1 ? "" : ", ")
          .append('\'')
          .append((text.endsWith("/") ? text : text + "/").replace("'", "''"))
          .append('\'');
    }
    directories.append(']');
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions = false");
      statement.execute("SET autoload_known_extensions = false");
      statement.execute("SET allowed_directories = " + directories);
      statement.execute("SET enable_external_access = false");
      statement.execute("SET lock_configuration = true");
    }
  }
}
