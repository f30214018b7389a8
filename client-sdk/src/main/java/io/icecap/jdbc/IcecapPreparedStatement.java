package io.icecap.jdbc;

import io.icecap.client.ErrorCode;
import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A statement with {@code ?} parameters (also {@code $1} or {@code ?1}). The values go to the write
 * path or to DuckDB as values, never spliced into the text. A batch is one transaction in
 * auto-commit mode.
 */
final class IcecapPreparedStatement extends IcecapStatement implements PreparedStatement {
  private static final Object UNSET = new Object();

  private final String sql;
  private final int parameterCount;
  private final List<Object[]> batch = new ArrayList<>();
  private Object[] values;

  IcecapPreparedStatement(IcecapConnection connection, String sql) throws SQLException {
    super(connection);
    if (sql == null) {
      throw JdbcErrors.of(ErrorCode.SYNTAX_ERROR, "The statement is null");
    }
    this.sql = sql;
    this.parameterCount = parameterCount(sql);
    this.values = unset(parameterCount);
  }

  private static int parameterCount(String sql) throws SQLException {
    List<Token> tokens;
    try {
      tokens = SqlLexer.tokenize(sql);
    } catch (SqlSyntaxException e) {
      throw JdbcErrors.create(ErrorCode.SYNTAX_ERROR, e.getMessage(), e);
    }
    int positional = 0;
    int numbered = 0;
    for (Token token : tokens) {
      if (token.kind() != Token.Kind.PARAMETER) {
        continue;
      }
      String digits = token.text().substring(1);
      if (digits.isEmpty()) {
        positional++;
      } else if (digits.chars().allMatch(Character::isDigit)) {
        numbered = Math.max(numbered, Integer.parseInt(digits));
      } else {
        throw JdbcErrors.of(
            ErrorCode.INVALID_PARAMETER,
            "Named parameter %s is not supported: use ? or $1, $2, ...",
            token.text());
      }
    }
    if (positional > 0 && numbered > 0) {
      throw JdbcErrors.of(
          ErrorCode.INVALID_PARAMETER,
          "The statement mixes ? with numbered parameters; use one style");
    }
    return Math.max(positional, numbered);
  }

  private static Object[] unset(int count) {
    Object[] fresh = new Object[count];
    Arrays.fill(fresh, UNSET);
    return fresh;
  }

  private Object[] bound() throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == UNSET) {
        throw JdbcErrors.of(
            ErrorCode.INVALID_PARAMETER,
            "Parameter %d of %d is not set: set it with setXxx(%d, value) or setNull",
            i + 1,
            values.length,
            i + 1);
      }
    }
    return values.clone();
  }

  private void set(int index, Object value) throws SQLException {
    checkOpen();
    if (index < 1 || index > parameterCount) {
      throw JdbcErrors.of(
          ErrorCode.INVALID_PARAMETER,
          "Parameter index %d is out of range: the statement has %d parameter%s",
          index,
          parameterCount,
          parameterCount == 1 ? "" : "s");
    }
    values[index - 1] = value;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return runQuery(sql, bound());
  }

  @Override
  public int executeUpdate() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate());
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return runUpdate(sql, bound());
  }

  @Override
  public boolean execute() throws SQLException {
    return run(sql, bound());
  }

  @Override
  public void addBatch() throws SQLException {
    checkOpen();
    if (StatementKind.of(sql) != StatementKind.WRITE) {
      throw JdbcErrors.of(
          ErrorCode.UNSUPPORTED, "A prepared batch runs INSERT, UPDATE or DELETE statements");
    }
    batch.add(bound());
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  /**
   * Runs the batch. In auto-commit mode it is one transaction: every row counts, or, when any
   * statement fails, none is applied and the exception has no update counts. With auto-commit off
   * the statements join the open transaction and their counts are {@link #SUCCESS_NO_INFO}.
   */
  @Override
  public int[] executeBatch() throws SQLException {
    checkOpen();
    List<Object[]> rows = List.copyOf(batch);
    batch.clear();
    if (rows.isEmpty()) {
      return new int[0];
    }
    return connection.batch(sql, rows);
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return Arrays.stream(executeBatch()).asLongStream().toArray();
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw textOnPrepared();
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw textOnPrepared();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw textOnPrepared();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw textOnPrepared();
  }

  private static SQLException textOnPrepared() {
    return JdbcErrors.of(
        ErrorCode.UNSUPPORTED,
        "A PreparedStatement runs the SQL it was prepared with; use a Statement for other text");
  }

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    values = unset(parameterCount);
  }

  @Override
  public void setNull(int index, int sqlType) throws SQLException {
    set(index, null);
  }

  @Override
  public void setNull(int index, int sqlType, String typeName) throws SQLException {
    set(index, null);
  }

  @Override
  public void setBoolean(int index, boolean value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setByte(int index, byte value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setShort(int index, short value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setInt(int index, int value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setLong(int index, long value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setFloat(int index, float value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setDouble(int index, double value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setBigDecimal(int index, BigDecimal value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setString(int index, String value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setNString(int index, String value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setBytes(int index, byte[] value) throws SQLException {
    set(index, value == null ? null : value.clone());
  }

  @Override
  public void setDate(int index, Date value) throws SQLException {
    set(index, value == null ? null : value.toLocalDate());
  }

  @Override
  public void setTime(int index, Time value) throws SQLException {
    set(index, value == null ? null : value.toLocalTime());
  }

  @Override
  public void setTimestamp(int index, Timestamp value) throws SQLException {
    set(index, value == null ? null : value.toLocalDateTime());
  }

  /** The date as the calendar's time zone (or the JVM's, without one) reads its instant. */
  @Override
  public void setDate(int index, Date value, Calendar calendar) throws SQLException {
    set(
        index,
        value == null
            ? null
            : LocalDate.ofInstant(Instant.ofEpochMilli(value.getTime()), zone(calendar)));
  }

  @Override
  public void setTime(int index, Time value, Calendar calendar) throws SQLException {
    set(
        index,
        value == null
            ? null
            : LocalTime.ofInstant(Instant.ofEpochMilli(value.getTime()), zone(calendar)));
  }

  @Override
  public void setTimestamp(int index, Timestamp value, Calendar calendar) throws SQLException {
    set(index, value == null ? null : LocalDateTime.ofInstant(value.toInstant(), zone(calendar)));
  }

  private static ZoneId zone(Calendar calendar) {
    return calendar == null ? ZoneId.systemDefault() : calendar.getTimeZone().toZoneId();
  }

  @Override
  public void setObject(int index, Object value) throws SQLException {
    if (value instanceof Date date) {
      setDate(index, date);
    } else if (value instanceof Time time) {
      setTime(index, time);
    } else if (value instanceof Timestamp timestamp) {
      setTimestamp(index, timestamp);
    } else if (value instanceof byte[] bytes) {
      setBytes(index, bytes);
    } else {
      set(index, value);
    }
  }

  @Override
  public void setObject(int index, Object value, int targetSqlType) throws SQLException {
    if (value == null) {
      setNull(index, targetSqlType);
      return;
    }
    if (targetSqlType == Types.VARCHAR
        || targetSqlType == Types.CHAR
        || targetSqlType == Types.LONGVARCHAR
        || targetSqlType == Types.NVARCHAR) {
      set(index, value.toString());
      return;
    }
    setObject(index, value);
  }

  @Override
  public void setObject(int index, Object value, int targetSqlType, int scaleOrLength)
      throws SQLException {
    if (value instanceof BigDecimal decimal
        && (targetSqlType == Types.DECIMAL || targetSqlType == Types.NUMERIC)) {
      set(index, decimal.setScale(scaleOrLength, java.math.RoundingMode.HALF_UP));
      return;
    }
    setObject(index, value, targetSqlType);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream, int length) throws SQLException {
    setCharacters(index, stream, length, StandardCharsets.US_ASCII);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream, long length) throws SQLException {
    setCharacters(index, stream, length, StandardCharsets.US_ASCII);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream) throws SQLException {
    setCharacters(index, stream, -1, StandardCharsets.US_ASCII);
  }

  @Override
  @Deprecated
  public void setUnicodeStream(int index, InputStream stream, int length) throws SQLException {
    throw JdbcErrors.unsupported("setUnicodeStream");
  }

  @Override
  public void setBinaryStream(int index, InputStream stream, int length) throws SQLException {
    set(index, stream == null ? null : bytes(stream, length));
  }

  @Override
  public void setBinaryStream(int index, InputStream stream, long length) throws SQLException {
    set(index, stream == null ? null : bytes(stream, length));
  }

  @Override
  public void setBinaryStream(int index, InputStream stream) throws SQLException {
    set(index, stream == null ? null : bytes(stream, -1));
  }

  @Override
  public void setCharacterStream(int index, Reader reader, int length) throws SQLException {
    set(index, reader == null ? null : text(reader, length));
  }

  @Override
  public void setCharacterStream(int index, Reader reader, long length) throws SQLException {
    set(index, reader == null ? null : text(reader, length));
  }

  @Override
  public void setCharacterStream(int index, Reader reader) throws SQLException {
    set(index, reader == null ? null : text(reader, -1));
  }

  @Override
  public void setNCharacterStream(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader, length);
  }

  @Override
  public void setNCharacterStream(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setClob(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader, length);
  }

  @Override
  public void setClob(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setNClob(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader, length);
  }

  @Override
  public void setNClob(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setBlob(int index, InputStream stream, long length) throws SQLException {
    setBinaryStream(index, stream, length);
  }

  @Override
  public void setBlob(int index, InputStream stream) throws SQLException {
    setBinaryStream(index, stream);
  }

  @Override
  public void setRef(int index, Ref value) throws SQLException {
    throw JdbcErrors.unsupported("Ref parameters");
  }

  @Override
  public void setBlob(int index, Blob value) throws SQLException {
    set(index, value == null ? null : value.getBytes(1, Math.toIntExact(value.length())));
  }

  @Override
  public void setClob(int index, Clob value) throws SQLException {
    set(index, value == null ? null : value.getSubString(1, Math.toIntExact(value.length())));
  }

  @Override
  public void setNClob(int index, NClob value) throws SQLException {
    setClob(index, value);
  }

  @Override
  public void setArray(int index, Array value) throws SQLException {
    throw JdbcErrors.unsupported("Array parameters");
  }

  @Override
  public void setURL(int index, URL value) throws SQLException {
    set(index, value == null ? null : value.toString());
  }

  @Override
  public void setRowId(int index, RowId value) throws SQLException {
    throw JdbcErrors.unsupported("RowId parameters");
  }

  @Override
  public void setSQLXML(int index, SQLXML value) throws SQLException {
    throw JdbcErrors.unsupported("SQLXML parameters");
  }

  /** Null: the columns of a query are known once it runs (see its result set's metadata). */
  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return new Parameters(parameterCount);
  }

  private void setCharacters(
      int index, InputStream stream, long length, java.nio.charset.Charset charset)
      throws SQLException {
    set(index, stream == null ? null : new String(bytes(stream, length), charset));
  }

  private static byte[] bytes(InputStream stream, long length) throws SQLException {
    try {
      byte[] read = length < 0 ? stream.readAllBytes() : stream.readNBytes(Math.toIntExact(length));
      if (length >= 0 && read.length < length) {
        throw JdbcErrors.of(
            ErrorCode.INVALID_PARAMETER,
            "The stream ended after %d of the %d bytes promised",
            read.length,
            length);
      }
      return read;
    } catch (IOException e) {
      throw JdbcErrors.create(
          ErrorCode.INVALID_PARAMETER, "Cannot read the parameter's stream: " + e.getMessage(), e);
    }
  }

  private static String text(Reader reader, long length) throws SQLException {
    try {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[8192];
      long left = length < 0 ? Long.MAX_VALUE : length;
      while (left > 0) {
        int read = reader.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          break;
        }
        text.append(buffer, 0, read);
        left -= read;
      }
      if (length >= 0 && left > 0) {
        throw JdbcErrors.of(
            ErrorCode.INVALID_PARAMETER,
            "The reader ended after %d of the %d characters promised",
            length - left,
            length);
      }
      return text.toString();
    } catch (IOException e) {
      throw JdbcErrors.create(
          ErrorCode.INVALID_PARAMETER, "Cannot read the parameter's reader: " + e.getMessage(), e);
    }
  }

  /** What is known of the parameters before they are bound: how many there are. */
  private record Parameters(int count) implements ParameterMetaData {
    @Override
    public int getParameterCount() {
      return count;
    }

    @Override
    public int isNullable(int param) {
      return parameterNullableUnknown;
    }

    @Override
    public boolean isSigned(int param) {
      return false;
    }

    @Override
    public int getPrecision(int param) {
      return 0;
    }

    @Override
    public int getScale(int param) {
      return 0;
    }

    @Override
    public int getParameterType(int param) {
      return Types.OTHER;
    }

    @Override
    public String getParameterTypeName(int param) {
      return "ANY";
    }

    @Override
    public String getParameterClassName(int param) {
      return Object.class.getName();
    }

    @Override
    public int getParameterMode(int param) {
      return parameterModeIn;
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      if (type.isInstance(this)) {
        return type.cast(this);
      }
      throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "Cannot unwrap parameters as %s", type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return type.isInstance(this);
    }
  }
}
