package io.icecap.jdbc;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapException;
import io.icecap.client.IcecapSession;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Icecap's JDBC driver, found by {@link java.util.ServiceLoader}: {@code jdbc:icecap:local:<dir>}
 * or {@code jdbc:icecap:redis://host:port/?warehouse=...}. See {@link IcecapConnection} for how
 * JDBC maps onto Icecap's sessions.
 */
public final class IcecapDriver implements Driver {
  static final int MAJOR_VERSION = 0;
  static final int MINOR_VERSION = 1;
  static final String VERSION = MAJOR_VERSION + "." + MINOR_VERSION;

  static {
    try {
      DriverManager.registerDriver(new IcecapDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Opens a connection, or returns null for a URL of another driver, as JDBC asks. */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    IcecapConfig config = JdbcUrl.parse(url, info);
    IcecapSession session;
    try {
      session = Icecap.connect(config);
    } catch (IcecapException e) {
      throw JdbcErrors.of(e);
    }
    return new IcecapConnection(session, JdbcUrl.redact(url));
  }

  @Override
  public boolean acceptsURL(String url) {
    return JdbcUrl.accepts(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return JdbcUrl.propertyInfo(info);
  }

  @Override
  public int getMajorVersion() {
    return MAJOR_VERSION;
  }

  @Override
  public int getMinorVersion() {
    return MINOR_VERSION;
  }

  /** Not JDBC compliant in the specification's sense: Icecap does not speak all of SQL-92. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw JdbcErrors.unsupported("java.util.logging");
  }
}
