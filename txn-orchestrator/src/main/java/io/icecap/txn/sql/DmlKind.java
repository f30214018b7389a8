package io.icecap.txn.sql;

/** The kinds of statement a write transaction may hold. */
public enum DmlKind {
  INSERT,
  UPDATE,
  DELETE
}
