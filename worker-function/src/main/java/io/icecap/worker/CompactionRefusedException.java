package io.icecap.worker;

/** A table Icecap does not compact (format version 3, for instance); nothing was written. */
public final class CompactionRefusedException extends IllegalStateException {
  CompactionRefusedException(String message) {
    super(message);
  }
}
