package org.example.lb.l7.runtime;

import java.util.Locale;

/** What {@code set server <b>/<s> health} forces the health check to. */
public enum HealthState {
  UP,
  STOPPING,
  DOWN;

  String cliWord() {
    return name().toLowerCase(Locale.ROOT);
  }
}
