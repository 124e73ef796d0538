package org.example.lb.lab.status;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link TierView} as one screen of text: a section per tier, a line per node, anything unhealthy marked with
 * {@code !} (and red on a terminal).
 */
public final class TierViewText {
  private final boolean color;
  private final StringBuilder out = new StringBuilder();

  private TierViewText(boolean color) {
    this.color = color;
  }

  /** The view as text; {@code color}: mark unhealthy items in red (for a terminal). */
  public static String render(TierView view, boolean color) {
    return new TierViewText(color).renderAll(view);
  }

  /** The lines of {@link #render} that hold something unhealthy (uncolored, each starting with {@code !}). */
  public static List<String> unhealthyLines(TierView view) {
    return render(view, false).lines().filter(l -> l.startsWith("!")).toList();
  }

  private String renderAll(TierView v) {
    out.append("routers: next hops per service address\n");
    Set<String> addresses = new LinkedHashSet<>();
    v.routers().forEach(r -> addresses.addAll(r.nextHops().keySet()));
    for (String address : addresses) {
      StringBuilder line = new StringBuilder(String.format("  %-22s", address));
      boolean healthy = true;
      for (TierView.RouterRoutes r : v.routers().stream().filter(TierView.RouterRoutes::answered).toList()) {
        List<String> hops = r.nextHops().getOrDefault(address, List.of());
        healthy &= !hops.isEmpty();
        line.append(String.format("  %s: %-22s", r.router(), hops.isEmpty() ? mark("none") : String.join(" ", hops)));
      }
      line(healthy, line.toString().stripTrailing());
    }
    for (TierView.RouterRoutes r : v.routers()) {
      if (!r.answered()) {
        line(false, "  " + r.router() + ": " + mark(r.problem()));
      }
    }
    out.append("bgp: reflector sessions; what each speaker announces\n");
    for (TierView.Reflector r : v.reflectors()) {
      if (!r.answered()) {
        line(false, "  " + r.node() + ": " + mark(r.problem()));
        continue;
      }
      long up = r.sessions().values().stream().filter("ESTABLISHED"::equals).count();
      String down = r.sessions().entrySet().stream().filter(e -> !e.getValue().equals("ESTABLISHED"))
          .map(e -> mark(e.getKey() + " " + e.getValue())).collect(Collectors.joining(" "));
      line(r.healthy(), "  " + r.node() + ": " + up + "/" + r.sessions().size() + " sessions established"
          + (down.isEmpty() ? "" : "  " + down));
    }
    for (TierView.Speaker s : v.speakers()) {
      if (!s.answered()) {
        line(false, "  " + s.node() + ": " + mark(s.problem()));
        continue;
      }
      line(s.healthy(), String.format("  %-6s %s", s.node(), item(s.state().equals("UP"), s.state()) + ", " + s.advertisement() + ", " + s.announced().size()
              + " prefixes, " + item(s.peersUp() == s.peers() && s.peers() > 0, s.peersUp() + "/" + s.peers()
              + " peers")));
    }
    out.append("directors: each LB7 state weight flows; flow sync: peers' flows held, moved flows placed by them\n");
    for (TierView.Director d : v.directors()) {
      if (!d.answered()) {
        line(false, "  " + d.node() + ": " + mark(d.problem()));
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-6s %s %s ", d.node(),
          item(d.serving(), d.serving() ? "serving" : "NOT serving"), item(d.quorum(), d.quorum() ? "quorum" : "NO quorum")));
      for (TierView.Backend b : d.backends()) {
        line.append(" ").append(item(b.healthy(), b.name() + " " + b.state())).append(' ').append(b.weight())
            .append(' ').append(b.flows());
      }
      if (d.peerFlows() >= 0) {
        line.append("  sync ").append(d.peerFlows()).append('/').append(d.peerHits());
      }
      line(d.healthy(), line.toString());
    }
    out.append("balancers: each server status weight sessions\n");
    for (TierView.Balancer b : v.balancers()) {
      if (!b.answered()) {
        line(false, "  " + b.node() + ": " + mark(b.problem()));
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-6s", b.node()));
      for (TierView.Server s : b.servers()) {
        line.append("  ").append(item(s.healthy(), s.name() + " " + s.status())).append(' ').append(s.weight())
            .append(' ').append(s.sessions());
      }
      line(b.healthy(), line.toString());
    }
    out.append("dns: each resource state ttl (addresses v4/v6)\n");
    for (TierView.DnsNode d : v.dns()) {
      if (!d.answered()) {
        line(false, "  " + d.node() + ": " + mark(d.problem()));
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("  %-6s", d.node()));
      for (TierView.Resource r : d.resources()) {
        line.append("  ").append(item(r.healthy(), r.name() + " " + r.state())).append(" ttl ").append(r.ttl())
            .append(" (").append(r.v4()).append('/').append(r.v6()).append(')');
      }
      line(d.healthy(), line.toString());
    }
    return out.toString();
  }

  /** A line, with a leading {@code !} when it holds something unhealthy. */
  private void line(boolean healthy, String text) {
    out.append(healthy ? " " : "!").append(text.substring(1)).append('\n');
  }

  private String item(boolean healthy, String text) {
    return healthy ? text : mark(text);
  }

  private String mark(String text) {
    return color ? "\033[31m" + text + "!\033[0m" : text + "!";
  }
}
