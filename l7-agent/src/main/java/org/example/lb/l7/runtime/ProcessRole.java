package org.example.lb.l7.runtime;

/** The section of {@code show proc} a process is listed in. */
public enum ProcessRole {
  MASTER,
  /** A current worker ({@code # workers}). */
  WORKER,
  /** A worker from before a reload, still finishing its connections ({@code # old workers}). */
  OLD_WORKER,
  /** An external program started by the master ({@code # programs}). */
  PROGRAM
}
