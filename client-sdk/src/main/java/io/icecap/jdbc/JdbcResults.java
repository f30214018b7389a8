package io.icecap.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Result sets of Icecap statements: DuckDB's rows behind a proxy that answers {@code
 * getStatement()} with the Icecap statement and stops after the statement's maximum rows.
 */
final class JdbcResults {
  private JdbcResults() {}

  static ResultSet wrap(ResultSet rows, Statement owner, long maxRows) {
    return wrap(rows, owner, maxRows, () -> {});
  }

  /** Wraps rows; {@code onClose} runs once when the result set is closed. */
  static ResultSet wrap(ResultSet rows, Statement owner, long maxRows, Runnable onClose) {
    return (ResultSet)
        Proxy.newProxyInstance(
            JdbcResults.class.getClassLoader(),
            new Class<?>[] {ResultSet.class},
            new Handler(rows, owner, maxRows, onClose));
  }

  private static final class Handler implements InvocationHandler {
    private final ResultSet rows;
    private final Statement owner;
    private final long maxRows;
    private final Runnable onClose;
    private long read;
    private boolean closed;

    Handler(ResultSet rows, Statement owner, long maxRows, Runnable onClose) {
      this.rows = rows;
      this.owner = owner;
      this.maxRows = maxRows;
      this.onClose = onClose;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      int arity = args == null ? 0 : args.length;
      switch (method.getName()) {
        case "getStatement":
          if (arity == 0) {
            return owner;
          }
          break;
        case "next":
          if (arity == 0) {
            if (maxRows > 0 && read >= maxRows) {
              return false;
            }
            boolean more = rows.next();
            if (more) {
              read++;
            }
            return more;
          }
          break;
        case "close":
          if (arity == 0) {
            rows.close();
            if (!closed) {
              closed = true;
              onClose.run();
            }
            return null;
          }
          break;
        case "unwrap":
          if (arity == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          break;
        case "isWrapperFor":
          if (arity == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
            return true;
          }
          break;
        case "equals":
          if (arity == 1) {
            return proxy == args[0];
          }
          break;
        case "hashCode":
          if (arity == 0) {
            return System.identityHashCode(proxy);
          }
          break;
        case "toString":
          if (arity == 0) {
            return "IcecapResultSet[" + rows + "]";
          }
          break;
        default:
          break;
      }
      try {
        return method.invoke(rows, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
