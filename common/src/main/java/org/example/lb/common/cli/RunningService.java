package org.example.lb.common.cli;

/**
 * A service's running node, as {@code run} commands serve it ({@link ServiceMain#serve}): SIGTERM and SIGINT close
 * it, SIGHUP reloads it, and the command returns (exit 0) once it is closed.
 */
public interface RunningService extends AutoCloseable {
  /** Re-reads the configuration; an invalid one keeps the running one. Default: nothing to reload. */
  default void reload() {}

  /** Blocks until {@link #close} has finished. */
  void awaitShutdown() throws InterruptedException;

  /** Shuts down gracefully (withdraw, drain, stop); idempotent. */
  @Override
  void close();
}
