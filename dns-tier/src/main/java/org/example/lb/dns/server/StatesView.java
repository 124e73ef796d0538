package org.example.lb.dns.server;

import java.util.Locale;
import java.util.Map;

/** The text view of a server's monitored states ({@code dns-tier states}); forced states end with {@code !}. */
final class StatesView {
  private StatesView() {}

  static String render(DnsStates s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-32s %-6s %-6s %-9s %s%n", "MONITOR", "STATE", "REAL", "TTL", "LAST CHECK"));
    for (Map.Entry<String, DnsStates.Monitor> e : s.monitors().entrySet()) {
      DnsStates.Monitor m = e.getValue();
      b.append(String.format(Locale.ROOT, "%-32s %-6s %-6s %-9s %s%s%n", e.getKey(), m.state(), m.realState(),
          m.ttl(), m.lastCheck(), m.progress().isEmpty() ? "" : " [" + m.progress() + "]"));
    }
    b.append(String.format(Locale.ROOT, "%n%-20s %-9s %-9s %-9s %s%n", "RESOURCE", "PLUGIN", "STATE", "TTL",
        "ANSWERS WITH"));
    for (Map.Entry<String, DnsStates.Resource> e : s.resources().entrySet()) {
      DnsStates.Resource r = e.getValue();
      String with = (r.v4().isEmpty() ? "" : "A " + String.join(" ", r.v4()))
          + (!r.v4().isEmpty() && !r.v6().isEmpty() ? "; " : "") + (r.v6().isEmpty() ? "" : "AAAA "
          + String.join(" ", r.v6()));
      b.append(String.format(Locale.ROOT, "%-20s %-9s %-9s %-9s %s%n", e.getKey(), r.plugin(),
          r.state() + r.forced().map(f -> "!").orElse(""), r.ttl(), with));
      r.forced().ifPresent(f -> b.append("    forced ").append(f).append(" by admin_state\n"));
      if (r.names().isEmpty()) {
        b.append("    no name bound\n");
        continue;
      }
      b.append("    names: ").append(String.join(", ", r.names())).append('\n');
      b.append("    answers:");
      r.answers().forEach((state, n) -> b.append(' ').append(state).append(' ').append(n));
      b.append(r.answers().isEmpty() ? " none yet\n" : "\n");
    }
    b.append("\nadmin_state: ").append(s.adminState()).append(s.adminStateRejected() > 0 ? " (" + s.adminStateRejected()
        + " version(s) rejected)" : "").append('\n');
    if (s.extfileBadLines() > 0 || s.extfileHalfWritten() > 0) {
      b.append("! extfile lines skipped: ").append(s.extfileBadLines()).append(", versions read half-written: ")
          .append(s.extfileHalfWritten()).append('\n');
    }
    return b.toString();
  }
}
