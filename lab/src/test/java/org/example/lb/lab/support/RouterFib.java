package org.example.lb.lab.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.bgp.BgpTier;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.example.lb.lab.topology.Topology.Node;

/** What the edge routers' kernels forward to: the next hops BIRD installed from BGP. */
public final class RouterFib {
  public static final List<String> ROUTERS = List.of("R1", "R2");
  private static final Duration CMD = Duration.ofSeconds(30);

  private RouterFib() {}

  /** The next hops of {@code router}'s route to {@code prefix}: one {@code via X}, or several {@code nexthop via X}. */
  public static Set<String> nextHops(String router, String prefix) {
    List<String> command = new ArrayList<>(List.of("ip"));
    if (prefix.contains(":")) {
      command.add("-6");
    }
    command.addAll(List.of("route", "show", prefix));
    Set<String> hops = new TreeSet<>();
    String[] words = Netns.exec(router, command, CMD).stdout().split("\\s+");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals("via")) {
        hops.add(words[i + 1]);
      }
    }
    return hops;
  }

  /** Waits until R1 and R2 route each of {@code prefixes} through exactly the fabric addresses of {@code nodes}. */
  public static void awaitNextHops(RunningLab lab, Collection<String> prefixes, Collection<String> nodes,
      Duration deadline) {
    for (String router : ROUTERS) {
      for (String prefix : prefixes) {
        boolean v6 = prefix.contains(":");
        Set<String> wanted = new TreeSet<>();
        for (String name : nodes) {
          Node node = lab.topology().node(name).orElseThrow();
          wanted.add((v6 ? BgpTier.fabricIpv6(node) : BgpTier.fabricIpv4(node)).addressText());
        }
        Poll.until(deadline, () -> router + " routes " + prefix + " via " + wanted + " (now: "
            + nextHops(router, prefix) + ")", () -> nextHops(router, prefix).equals(wanted));
      }
    }
  }
}
