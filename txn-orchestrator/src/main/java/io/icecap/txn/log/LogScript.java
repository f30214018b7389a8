package io.icecap.txn.log;

import io.icecap.catalog.RedisScript;
import java.util.List;

/** The Lua scripts of the transaction log. */
final class LogScript {
  static final RedisScript APPEND = RedisScript.load(LogScript.class, "append");
  static final RedisScript JOB_STATE = RedisScript.loadReadOnly(LogScript.class, "job_state");
  static final RedisScript ACQUIRE_LEASES = RedisScript.load(LogScript.class, "acquire_leases");
  static final RedisScript RENEW_LEASES = RedisScript.load(LogScript.class, "renew_leases");
  static final RedisScript FINISH = RedisScript.load(LogScript.class, "finish");
  static final RedisScript RECORD_FAILURE = RedisScript.load(LogScript.class, "record_failure");
  static final RedisScript MAINTENANCE_LEASE =
      RedisScript.load(LogScript.class, "maintenance_lease");
  static final RedisScript MAINTENANCE_DONE = RedisScript.load(LogScript.class, "maintenance_done");

  static final List<RedisScript> ALL =
      List.of(
          APPEND,
          JOB_STATE,
          ACQUIRE_LEASES,
          RENEW_LEASES,
          FINISH,
          RECORD_FAILURE,
          MAINTENANCE_LEASE,
          MAINTENANCE_DONE);

  private LogScript() {}
}
