package org.example.lb.l7.runtime;

import java.util.Locale;

/** The administrative state {@code set server <b>/<s> state} accepts. */
public enum ServerAdminState {
  /** Normal operation (equivalent to {@code enable server}). */
  READY,
  /** No new sessions from load balancing; checks and persistent sessions continue. */
  DRAIN,
  /** No traffic and no health checks (equivalent to {@code disable server}). */
  MAINT;

  String cliWord() {
    return name().toLowerCase(Locale.ROOT);
  }
}
