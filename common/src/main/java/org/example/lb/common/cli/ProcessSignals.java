package org.example.lb.common.cli;

import java.util.logging.Logger;

/**
 * The signals a service process acts on. SIGTERM and SIGINT run an orderly shutdown that lets the command return,
 * so the process exits with status 0 (the JVM's default handling exits with 143 or 130, which service managers
 * count as a failure). SIGHUP runs a reload. Each action runs on its own thread, never in the signal handler.
 */
public final class ProcessSignals {
  private static final Logger LOG = Logger.getLogger(ProcessSignals.class.getName());

  private ProcessSignals() {}

  /** Runs {@code shutdown} on SIGTERM or SIGINT; falls back to a shutdown hook if the JVM reserves them. */
  public static void onTerminate(Runnable shutdown) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Thread.ofPlatform().name("SIG" + name).start(() -> {
          LOG.info("SIG" + name + ": shutting down");
          shutdown.run();
        }));
      } catch (IllegalArgumentException e) {
        LOG.warning("SIG" + name + " handled by the JVM (" + e.getMessage() + "): shutting down through a hook");
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(shutdown));
      }
    }
  }

  /** Runs {@code reload} on a virtual thread on each SIGHUP. */
  public static void onHangup(Runnable reload) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().name("SIGHUP").start(() -> {
        LOG.info("SIGHUP: reloading");
        reload.run();
      }));
    } catch (IllegalArgumentException e) {
      LOG.warning("SIGHUP reload unavailable: " + e.getMessage());
    }
  }
}
