package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import io.icecap.txn.log.MaintenanceState;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the maintenance that is due on the tables workers serve (the tables with a transaction log),
 * by each table's {@link MaintenancePolicy}: every worker of every mode calls it, and the table's
 * maintenance lease lets one of them run a table's maintenance at a time. When each task last ran
 * is kept beside the table's log, so a task is due once its interval has passed since any worker
 * last ran it, whichever worker that was.
 */
public final class MaintenanceScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);

  /** How long a table's policy is used before its properties are read again. */
  static final Duration POLICY_TTL = Duration.ofMinutes(1);

  /** The intervals used for a table whose properties cannot be read as a policy. */
  private static final MaintenancePolicy FALLBACK = MaintenancePolicy.of("", Map.of());

  private final Catalog catalog;
  private final TransactionLog logs;
  private final TableMaintenance maintenance;
  private final Map<TableIdentifier, Cached> policies = new ConcurrentHashMap<>();

  private record Cached(MaintenancePolicy policy, RuntimeException problem, long readAtNanos) {}

  /**
   * @param catalog the catalog holding the tables
   * @param logs the catalog's transaction logs, whose active tables are the ones maintained
   * @param maintenance what runs the maintenance
   */
  public MaintenanceScheduler(Catalog catalog, TransactionLog logs, TableMaintenance maintenance) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.maintenance = requireNonNull(maintenance, "maintenance is null");
  }

  /** A table's maintenance that is due. */
  public record Due(TableIdentifier table, MaintenanceRequest request) {}

  /** The maintenance due now on every active table. */
  public List<Due> due() {
    List<Due> due = new ArrayList<>();
    for (TableIdentifier table : logs.activeTables()) {
      try {
        Set<MaintenanceTask> tasks = dueTasks(table);
        if (!tasks.isEmpty()) {
          due.add(new Due(table, new MaintenanceRequest(tasks, false)));
        }
      } catch (NoSuchTableException e) {
        policies.remove(table);
      }
    }
    return due;
  }

  /**
   * Runs the due maintenance, one table after the other, until the deadline: no table's run starts
   * after it. A table another run holds is left to that run; a run that fails is logged in one line
   * and recorded beside the table's log, and is tried again after its interval.
   *
   * @param deadlineNanos a {@link System#nanoTime()} value
   * @return the reports of the runs that ended
   */
  public List<MaintenanceReport> runDue(long deadlineNanos) {
    List<MaintenanceReport> reports = new ArrayList<>();
    for (Due due : due()) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        break;
      }
      try {
        reports.add(maintenance.run(due.table(), due.request(), MaintenanceProgress.NONE));
      } catch (MaintenanceBusyException | NoSuchTableException e) {
        LOG.debug("Not maintaining {}: {}", due.table(), e.getMessage());
      } catch (RuntimeException e) {
        if (RedisOutage.isOutage(e) || RedisOutage.isInterrupt(e)) {
          throw e;
        }
        LOG.warn("Maintenance of {} failed: {}", due.table(), oneLine(e));
      }
    }
    return reports;
  }

  private Set<MaintenanceTask> dueTasks(TableIdentifier identifier) {
    TableLog log = logs.table(identifier);
    MaintenanceState state = log.maintenance();
    if (state.leaseOwner().isPresent()) {
      return Set.of();
    }
    Cached cached = policy(identifier);
    MaintenancePolicy policy = cached.policy() != null ? cached.policy() : FALLBACK;
    Set<MaintenanceTask> tasks = EnumSet.noneOf(MaintenanceTask.class);
    if (state.due(TableMaintenance.taskName(MaintenanceTask.COMPACT), policy.compactEvery())) {
      tasks.add(MaintenanceTask.COMPACT);
    }
    if (state.due(TableMaintenance.taskName(MaintenanceTask.EXPIRE), policy.expireEvery())) {
      tasks.add(MaintenanceTask.EXPIRE);
    }
    if (state.due(TableMaintenance.taskName(MaintenanceTask.ORPHANS), policy.orphansEvery())) {
      tasks.add(MaintenanceTask.ORPHANS);
    }
    if (tasks.isEmpty()) {
      return tasks;
    }
    if (cached.problem() != null) {
      // the table's maintenance waits until its properties are fixed: said once per interval
      LOG.warn("Not maintaining {}: {}", identifier, cached.problem().getMessage());
      log.recordMaintenance(
          "scheduler",
          tasks.stream().map(TableMaintenance::taskName).toList(),
          0,
          0,
          cached.problem().getMessage());
      return Set.of();
    }
    return policy.automatic() ? tasks : Set.of();
  }

  private Cached policy(TableIdentifier identifier) {
    Cached cached = policies.get(identifier);
    if (cached != null && System.nanoTime() - cached.readAtNanos() < POLICY_TTL.toNanos()) {
      return cached;
    }
    Table table = catalog.loadTable(identifier);
    try {
      cached =
          new Cached(
              MaintenancePolicy.of(identifier.toString(), table.properties()),
              null,
              System.nanoTime());
    } catch (TablePropertyException e) {
      cached = new Cached(null, e, System.nanoTime());
    }
    policies.put(identifier, cached);
    return cached;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage();
    return (message == null ? e.getClass().getName() : message).replace('\n', ' ');
  }
}
