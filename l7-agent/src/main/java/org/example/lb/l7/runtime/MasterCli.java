package org.example.lb.l7.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Client for the master CLI of HAProxy 2.6 in master-worker mode ({@code haproxy -W -S <socket>}).
 * One connection per call, safe to share between threads. Failures are {@link RuntimeApiException}s
 * as for {@link RuntimeSocket}.
 */
public interface MasterCli {
  /** Deadline of one call unless given: 2 s (waiting for a reload has its own deadline). */
  Duration DEFAULT_TIMEOUT = RuntimeSocket.DEFAULT_TIMEOUT;

  /** A client for the master socket; does not connect yet. */
  static MasterCli open(Path masterSocket) {
    return open(masterSocket, DEFAULT_TIMEOUT);
  }

  /** A client whose every call must complete within {@code timeout}; does not connect yet. */
  static MasterCli open(Path masterSocket, Duration timeout) {
    return new UnixMasterCli(new CliTransport(masterSocket, timeout), System::nanoTime);
  }

  Path path();

  /** {@code show proc}: master, workers, old workers, programs. */
  ProcessTable showProc();

  /**
   * Sends {@code reload} and returns once the master took it. HAProxy 2.6 answers nothing and
   * closes the connection when it re-executes (an empty reply or a reset is success). Does not
   * wait for the new worker: see {@link #awaitReload} or {@link #reloadAndAwait}.
   */
  void reload();

  /**
   * Takes {@code show proc}, reloads, and waits for the outcome with {@link #awaitReload}.
   *
   * @throws ReloadFailedException if the master reports the reload failed (bad configuration)
   * @throws RuntimeIoException with {@code timedOut()} if it did not complete within {@code timeout}
   */
  ReloadOutcome reloadAndAwait(Duration timeout);

  /**
   * Polls {@code show proc} until the master's reload count exceeds the one in {@code before}
   * (connection failures while the master re-executes are retried), then until every new worker
   * answers {@code show info} through the master. Fails with {@link ReloadFailedException} if the
   * failed-reload count grew instead.
   */
  ReloadOutcome awaitReload(ProcessTable before, Duration timeout);

  /** Runs {@code command} in the process with this PID through the master ({@code @!<pid> command}). */
  String processCommand(int pid, String command);

  /** Sends one line to the master as is and returns the reply. */
  String raw(String command);
}
