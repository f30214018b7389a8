package io.icecap.client;

/** What a query sees of the writes to the tables it reads. */
public enum Consistency {
  /** Each table's latest committed snapshot when the query starts. */
  SNAPSHOT,
  /**
   * Every write acknowledged before the query started (by this session or any other): the query
   * first waits until the tables' logs are applied up to their heads at that moment, asking for the
   * apply if needed.
   */
  LATEST
}
