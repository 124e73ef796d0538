package org.example.lb.dns.server;

import java.util.Locale;
import java.util.Map;

/** The text view of a server's status ({@code dns-tier status}); problems are marked with {@code !}. */
final class StatusView {
  private StatusView() {}

  static String render(DnsStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s  listening on %s (UDP and TCP), %d workers, %d TCP connections open%n",
        s.node(), String.join(", ", s.listening()), s.workers(), s.tcpOpen()));
    b.append(String.format(Locale.ROOT, "  %-2s%-30s %12s %8s  %s%n", "", "ZONE", "SERIAL", "RECORDS", "LOADED"));
    for (DnsStatus.ZoneStatus z : s.zones()) {
      b.append(String.format(Locale.ROOT, "  %-2s%-30s %12s %8d  %s%n", z.serving() && z.error().isEmpty() ? "" : "!",
          z.name(), z.serial().map(String::valueOf).orElse("-"), z.records(), z.loadedAt().orElse("never")));
      z.error().ifPresent(e -> b.append("      last load failed, ").append(z.serving() ? "previous version served: "
          : "not served: ").append(e).append('\n'));
    }
    b.append("  stats:");
    int i = 0;
    for (Map.Entry<String, Long> e : s.stats().entrySet()) {
      b.append(i++ % 6 == 0 ? "\n    " : "  ").append(e.getKey()).append(' ').append(e.getValue());
    }
    b.append('\n');
    s.lastReload().ifPresent(r -> b.append("  last reload: ").append(r).append('\n'));
    return b.toString();
  }
}
