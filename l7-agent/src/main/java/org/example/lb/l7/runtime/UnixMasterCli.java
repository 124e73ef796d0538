package org.example.lb.l7.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.example.lb.common.config.Validation;

/** {@link MasterCli} over {@link CliTransport}. */
final class UnixMasterCli implements MasterCli {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final CliTransport transport;
  private final LongSupplier nanoTime;

  UnixMasterCli(CliTransport transport, LongSupplier nanoTime) {
    this.transport = transport;
    this.nanoTime = nanoTime;
  }

  @Override
  public Path path() {
    return transport.socket();
  }

  @Override
  public ProcessTable showProc() {
    return ShowProcFormat.parse(execute("show proc", false).text());
  }

  @Override
  public void reload() {
    execute("reload", true);
  }

  @Override
  public ReloadOutcome reloadAndAwait(Duration timeout) {
    Validation.positive("timeout", timeout);
    ProcessTable before = showProc();
    reload();
    return awaitReload(before, timeout);
  }

  @Override
  public ReloadOutcome awaitReload(ProcessTable before, Duration timeout) {
    Validation.positive("timeout", timeout);
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    String last = "no answer to show proc yet";
    while (true) {
      try {
        ProcessTable now = showProc();
        if (now.failedReloads() > before.failedReloads()) {
          throw new ReloadFailedException(transport.socket() + ": reload failed (failed reloads "
              + before.failedReloads() + " -> " + now.failedReloads() + "); the previous workers keep running, "
              + "see the master's log", now);
        }
        if (now.reloads() > before.reloads()) {
          List<Integer> fresh = new ArrayList<>(now.workerPids());
          fresh.removeAll(before.workerPids());
          if (!fresh.isEmpty() && allAnswer(fresh)) {
            return new ReloadOutcome(before, now, fresh);
          }
          last = "reloads " + now.reloads() + ", new workers " + fresh + " not answering yet";
        } else {
          last = "reloads still " + now.reloads();
        }
      } catch (RuntimeIoException | RuntimeCommandException | RuntimeReplyException e) {
        last = e.getMessage(); // the master re-executes: its socket refuses connections for a moment
      }
      long remaining = deadline - nanoTime.getAsLong();
      if (remaining <= 0) {
        throw new RuntimeIoException(transport.socket(),
            "reload not complete within " + timeout.toMillis() + " ms (" + last + ")", true, null);
      }
      LockSupport.parkNanos(Math.min(POLL_NANOS, remaining));
      if (Thread.currentThread().isInterrupted()) {
        throw new RuntimeIoException(transport.socket(), "interrupted while waiting for a reload", false, null);
      }
    }
  }

  private boolean allAnswer(List<Integer> pids) {
    for (int pid : pids) {
      try {
        if (Info.parse(processCommand(pid, "show info")).pid() != pid) {
          return false;
        }
      } catch (RuntimeApiException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String processCommand(int pid, String command) {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid: " + pid + " (expected: a positive process ID)");
    }
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command: missing (expected: a CLI command)");
    }
    return execute("@!" + pid + " " + command, false).text();
  }

  @Override
  public String raw(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command: missing (expected: a CLI command)");
    }
    return execute(command, false).text();
  }

  @Override
  public String toString() {
    return "MasterCli[" + transport.socket() + ", timeout " + transport.timeout().toMillis() + " ms]";
  }

  private CliReply execute(String command, boolean resetIsEndOfReply) {
    return CliReply.ofMaster(command, transport.exchange(command, resetIsEndOfReply)).requireSuccess();
  }
}
