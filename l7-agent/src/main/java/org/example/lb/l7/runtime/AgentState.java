package org.example.lb.l7.runtime;

import java.util.Locale;

/** What {@code set server <b>/<s> agent} forces the agent check to. */
public enum AgentState {
  UP,
  DOWN;

  String cliWord() {
    return name().toLowerCase(Locale.ROOT);
  }
}
