package org.example.lb.bgp.speaker;

import java.util.Locale;

/** The text view of a speaker's status ({@code bgp-speaker status}); unhealthy parts are marked with {@code !}. */
final class StatusView {
  private StatusView() {}

  static String render(SpeakerStatus s) {
    StringBuilder b = new StringBuilder();
    SpeakerStatus.Health h = s.health();
    boolean healthy = h.state().equals("UP");
    b.append(String.format(Locale.ROOT, "%s  health %s%s since %s (%d checks)%s%n", s.node(), healthy ? "" : "! ",
        h.state(), h.since(), h.checksRun(), h.lastCheck().map(c -> ", last " + c).orElse("")));
    b.append(String.format(Locale.ROOT, "  advertisement: %s   (maintenance flag: %s)%n", s.advertisement(),
        h.disableFile()));
    SpeakerStatus.Gobgpd g = s.gobgpd();
    b.append(String.format(Locale.ROOT, "  gobgpd %s: %s%s%n", g.api(),
        !g.connected() ? "! not connected" : g.inSync() ? "connected, in sync" : "! connected, not in sync",
        g.lastError().map(e -> " (" + e + ")").orElse("")));
    b.append(String.format(Locale.ROOT, "  %-2s%-26s %-12s %-13s %9s %11s%n", "", "PEER", "AS", "STATE", "ACCEPTED",
        "ADVERTISED"));
    for (SpeakerStatus.Peer p : s.peers()) {
      b.append(String.format(Locale.ROOT, "  %-2s%-26s %-12d %-13s %9d %11d%n",
          p.state().equals("ESTABLISHED") ? "" : "!", p.address(), p.asn(), p.state(), p.accepted(), p.advertised()));
    }
    b.append(String.format(Locale.ROOT, "  %-2s%-44s %-26s %s%n", "", "ANNOUNCED", "NEXT HOP", "MED"));
    if (s.announced().isEmpty()) {
      b.append("    (nothing)\n");
    }
    for (SpeakerStatus.AnnouncedRoute r : s.announced()) {
      b.append(String.format(Locale.ROOT, "  %-2s%-44s %-26s %s%n", "", r.prefix(), r.nextHop(),
          r.med().map(String::valueOf).orElse("-")));
    }
    s.lastReload().ifPresent(r -> b.append("  last reload: ").append(r).append('\n'));
    return b.toString();
  }
}
