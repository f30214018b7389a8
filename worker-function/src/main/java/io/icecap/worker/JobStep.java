package io.icecap.worker;

/** The steps of an apply job at which a test can stop a worker. */
public enum JobStep {
  /** The partition leases are taken. */
  LEASED,
  /** The records are applied to the working replicas, nothing written yet. */
  APPLIED,
  /** Both replicas of every changed partition are uploaded, the snapshot not committed. */
  UPLOADED,
  /** The snapshot is committed and the results published; leases not released yet. */
  COMMITTED
}
