package io.icecap.worker.maintenance;

/** Another maintenance run holds the table's maintenance lease; nothing was done. */
public final class MaintenanceBusyException extends RuntimeException {
  MaintenanceBusyException(String message) {
    super(message);
  }
}
