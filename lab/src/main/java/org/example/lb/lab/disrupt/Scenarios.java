package org.example.lb.lab.disrupt;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.example.lb.lab.bgp.BgpConfigs;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.state.Resource;

/** The disruption matrix of issue 6: every scenario by name, fresh for each run. */
public final class Scenarios {
  static final String LB4 = "LB4-2";
  static final String LB4_ADDED = "LB4-3";
  static final String LB7 = "LB7-2";
  static final String LB7_ADDED = "LB7-4";
  static final String SERVER = "S3";
  static final String SERVER_ADDED = "S5";
  static final List<String> LB4_SERVICES = List.of("l4-director", "gobgpd", "bgp-speaker");
  static final List<String> LB7_SERVICES = List.of("haproxy", "l7-agent-run", "tunnel-endpoint");
  static final List<String> SERVER_SERVICES = List.of("nginx", "l7-agent-agent");
  private static final Duration ROUTES = Duration.ofSeconds(40); // a restarted gobgpd waits 5-10 s to connect
  private static final Duration CHECKS = Duration.ofSeconds(15);

  private static final Map<String, Supplier<Scenario>> ALL = new java.util.LinkedHashMap<>();

  static {
    ALL.put("lb4-disable", Scenarios::lb4Disable);
    ALL.put("lb4-crash", Scenarios::lb4Crash);
    ALL.put("lb4-power-off", Scenarios::lb4PowerOff);
    ALL.put("lb4-add", Scenarios::lb4Add);
    ALL.put("router-nexthop", Scenarios::routerNextHop);
    ALL.put("lb7-drain", Scenarios::lb7Drain);
    ALL.put("lb7-crash", Scenarios::lb7Crash);
    ALL.put("lb7-add", Scenarios::lb7Add);
    ALL.put("server-drain", Scenarios::serverDrain);
    ALL.put("server-crash", Scenarios::serverCrash);
    ALL.put("server-add", Scenarios::serverAdd);
    ALL.put("lb7-add-lb4-remove", Scenarios::lb7AddThenLb4Remove);
  }

  private Scenarios() {}

  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** A fresh scenario called {@code name}, or empty. */
  public static Optional<Scenario> named(String name) {
    return Optional.ofNullable(ALL.get(name)).map(Supplier::get);
  }

  static Scenario lb4Disable() {
    return new Defined("lb4-disable", LB4 + " disabled by /etc/lb/disable, then re-enabled",
        Expectation.nothingBreaks(), "", lab -> {}, (lab, marks) -> {
      marks.mark("touch " + LB4 + ":/etc/lb/disable");
      lab.writeFlag(LB4, "disable", "");
      awaitRouters(lab, hops -> !hops.contains(LB4), "the routers to drop " + LB4);
      marks.mark("the routers dropped " + LB4);
      marks.pause();
      marks.mark("rm " + LB4 + ":/etc/lb/disable");
      lab.removeFlag(LB4, "disable");
      awaitRouters(lab, hops -> hops.contains(LB4), "the routers to take " + LB4 + " back");
      marks.mark("the routers took " + LB4 + " back");
    }, lab -> {
      lab.removeFlag(LB4, "disable");
      awaitRouters(lab, hops -> hops.contains(LB4), "the routers to take " + LB4 + " back");
    });
  }

  static Scenario lb4Crash() {
    List<Resource.Process> killed = new ArrayList<>();
    return new Defined("lb4-crash", LB4 + " crashes (director, bgp-speaker and gobgpd killed)",
        Expectation.nothingBreaks(), "", lab -> {}, (lab, marks) -> {
      marks.mark("kill -9 " + LB4 + "'s " + String.join(", ", LB4_SERVICES));
      killed.addAll(lab.kill(LB4, LB4_SERVICES));
      awaitRouters(lab, hops -> !hops.contains(LB4), "the routers to drop " + LB4);
      marks.detected("the routers dropped " + LB4);
    }, lab -> {
      lab.start(killed);
      awaitRouters(lab, hops -> hops.contains(LB4), "the routers to take " + LB4 + " back");
    });
  }

  /**
   * A power failure, unlike {@link #lb4Crash}: nothing leaves the node, so the reflectors learn of it only when their
   * hold timer runs out, and the routers send it flows until then. Connections that got no answer in that window
   * (their SYN went to the dead node) are its; an answered connection that breaks is not allowed.
   */
  static Scenario lb4PowerOff() {
    List<Resource.Process> killed = new ArrayList<>();
    return new Defined("lb4-power-off", LB4 + " loses power: silent at once (every packet dropped, then its director,"
        + " bgp-speaker and gobgpd killed), no BGP NOTIFICATION, no FIN; the reflectors see it after their "
        + BgpConfigs.HOLD_SECONDS + " s hold time", Expectation.onlyUnansweredSentTo(LB4), "", lab -> {}, (lab, marks) -> {
      marks.mark("power off " + LB4 + " (nftables drops every packet in and out; kill -9 "
          + String.join(", ", LB4_SERVICES) + ")");
      killed.addAll(lab.powerOff(LB4, LB4_SERVICES));
      awaitRouters(lab, hops -> !hops.contains(LB4), "the routers to drop " + LB4);
      marks.detected("the routers dropped " + LB4 + " (hold time expired)");
    }, lab -> {
      lab.powerOn(LB4, killed);
      awaitRouters(lab, hops -> hops.contains(LB4), "the routers to take " + LB4 + " back");
    });
  }

  static Scenario lb4Add() {
    List<Resource.Process> stopped = new ArrayList<>();
    return new Defined("lb4-add", LB4_ADDED + " joins (its director, gobgpd and bgp-speaker start)",
        Expectation.nothingBreaks(), "", lab -> {
      stopped.addAll(lab.stop(LB4_ADDED, LB4_SERVICES.reversed()).reversed());
      awaitRouters(lab, hops -> !hops.contains(LB4_ADDED), "the routers to drop " + LB4_ADDED);
    }, (lab, marks) -> {
      marks.mark("start " + LB4_ADDED + "'s " + String.join(", ", LB4_SERVICES));
      lab.start(stopped);
      awaitRouters(lab, hops -> hops.contains(LB4_ADDED), "the routers to take " + LB4_ADDED);
      marks.mark("the routers took " + LB4_ADDED);
    }, lab -> {
      lab.start(stopped);
      awaitRouters(lab, hops -> hops.contains(LB4_ADDED), "the routers to take " + LB4_ADDED);
    });
  }

  static Scenario routerNextHop() {
    return new Defined("router-nexthop", "the upstream router sends everything through R2, then through R1 and R2 again",
        Expectation.nothingBreaks(), "", lab -> {}, (lab, marks) -> {
      marks.mark("internet: VIPs via R2 only");
      lab.routeVipsOnlyVia("internet", "R2");
      marks.pause();
      marks.mark("internet: VIPs via R1 and R2");
      lab.restoreRoutes("internet");
    }, lab -> lab.restoreRoutes("internet"));
  }

  static Scenario lb7Drain() {
    return new Defined("lb7-drain", LB7 + " drained by its flag file (echo maint > /etc/lb/agent-check)",
        Expectation.nothingBreaks(), "", lab -> {}, (lab, marks) -> {
      marks.mark("echo maint > " + LB7 + ":/etc/lb/agent-check");
      lab.writeFlag(LB7, "agent-check", "maint");
      awaitDirectors(lab, LB7, "DRAINING");
      marks.mark("every director drains " + LB7);
    }, lab -> {
      lab.removeFlag(LB7, "agent-check");
      awaitDirectors(lab, LB7, "UP");
    });
  }

  static Scenario lb7Crash() {
    List<Resource.Process> killed = new ArrayList<>();
    return new Defined("lb7-crash", LB7 + " crashes (HAProxy, l7-agent and the tunnel endpoint killed)",
        Expectation.onlyThrough(LB7), "", lab -> {}, (lab, marks) -> {
      marks.mark("kill -9 " + LB7 + "'s " + String.join(", ", LB7_SERVICES));
      killed.addAll(lab.kill(LB7, LB7_SERVICES));
      awaitDirectors(lab, LB7, "DOWN");
      marks.detected("every director has " + LB7 + " DOWN");
    }, lab -> {
      lab.start(killed);
      awaitDirectors(lab, LB7, "UP");
    });
  }

  static Scenario lb7Add() {
    List<Resource.Process> stopped = new ArrayList<>();
    return new Defined("lb7-add", LB7_ADDED + " joins (started, then added to every director's config)",
        Expectation.nothingBreaks(), "", lab -> removeLb7(lab, stopped), (lab, marks) -> addLb7(lab, marks, stopped),
        lab -> {
          lab.start(stopped);
          lab.restoreConfigs();
          awaitDirectors(lab, LB7_ADDED, "UP");
        });
  }

  static Scenario serverDrain() {
    return new Defined("server-drain", SERVER + " drained (echo drain > /etc/lb/agent-check)",
        Expectation.nothingBreaks(), "", lab -> {}, (lab, marks) -> {
      marks.mark("echo drain > " + SERVER + ":/etc/lb/agent-check");
      lab.writeFlag(SERVER, "agent-check", "drain");
      awaitBalancers(lab, SERVER, "DRAIN");
      marks.mark("every balancer drains " + SERVER);
    }, lab -> {
      lab.removeFlag(SERVER, "agent-check");
      awaitBalancers(lab, SERVER, "UP");
    });
  }

  static Scenario serverCrash() {
    List<Resource.Process> killed = new ArrayList<>();
    return new Defined("server-crash", SERVER + " crashes (nginx and its agent killed)",
        Expectation.onlyThrough(SERVER), "", lab -> {}, (lab, marks) -> {
      marks.mark("kill -9 " + SERVER + "'s " + String.join(", ", SERVER_SERVICES));
      killed.addAll(lab.kill(SERVER, SERVER_SERVICES));
      awaitBalancers(lab, SERVER, "DOWN");
      marks.detected("every balancer has " + SERVER + " DOWN");
    }, lab -> {
      lab.start(killed);
      awaitBalancers(lab, SERVER, "UP");
    });
  }

  static Scenario serverAdd() {
    List<Resource.Process> stopped = new ArrayList<>();
    return new Defined("server-add", SERVER_ADDED + " joins (started, then added to every balancer's config)",
        Expectation.nothingBreaks(), "", lab -> {
      lab.balancersWithout(SERVER_ADDED);
      awaitBalancers(lab, SERVER_ADDED, null);
      stopped.addAll(lab.stop(SERVER_ADDED, SERVER_SERVICES.reversed()).reversed());
    }, (lab, marks) -> {
      marks.mark("start " + SERVER_ADDED + "'s nginx and agent");
      lab.start(stopped);
      marks.mark("add " + SERVER_ADDED + " to every balancer's config and reload");
      lab.restoreConfigs();
      awaitBalancers(lab, SERVER_ADDED, "UP");
      marks.mark("every balancer has " + SERVER_ADDED + " UP");
    }, lab -> {
      lab.start(stopped);
      lab.restoreConfigs();
      awaitBalancers(lab, SERVER_ADDED, "UP");
    });
  }

  static Scenario lb7AddThenLb4Remove() {
    List<Resource.Process> stopped = new ArrayList<>();
    return new Defined("lb7-add-lb4-remove", LB7_ADDED + " joins, then " + LB4 + " is disabled",
        Expectation.nothingBreaks(), "",
        lab -> removeLb7(lab, stopped), (lab, marks) -> {
      addLb7(lab, marks, stopped);
      marks.pause();
      marks.mark("touch " + LB4 + ":/etc/lb/disable");
      lab.writeFlag(LB4, "disable", "");
      awaitRouters(lab, hops -> !hops.contains(LB4), "the routers to drop " + LB4);
      marks.mark("the routers dropped " + LB4);
    }, lab -> {
      lab.start(stopped);
      lab.restoreConfigs();
      lab.removeFlag(LB4, "disable");
      awaitDirectors(lab, LB7_ADDED, "UP");
      awaitRouters(lab, hops -> hops.contains(LB4), "the routers to take " + LB4 + " back");
    });
  }

  private static void removeLb7(LabActions lab, List<Resource.Process> stopped) {
    lab.directorsWithout(LB7_ADDED);
    awaitDirectors(lab, LB7_ADDED, null);
    stopped.addAll(lab.stop(LB7_ADDED, LB7_SERVICES.reversed()).reversed());
  }

  private static void addLb7(LabActions lab, Marks marks, List<Resource.Process> stopped) {
    marks.mark("start " + LB7_ADDED + "'s " + String.join(", ", LB7_SERVICES));
    lab.start(stopped);
    String address = lab.topology().node(LB7_ADDED).orElseThrow().on("fabric").orElseThrow().ipv4().orElseThrow()
        .addressText();
    String lb4 = lab.names(org.example.lb.lab.topology.Role.L4).getFirst();
    LabActions.await(CHECKS, LB7_ADDED + " /healthcheck to answer 200 (from " + lb4 + ")", () -> "not yet",
        () -> Netns.exec(lb4, List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1",
            "http://" + address + "/healthcheck"), Duration.ofSeconds(5)).stdout().equals("200"));
    marks.mark("add " + LB7_ADDED + " to every director's config");
    lab.restoreConfigs();
    awaitDirectors(lab, LB7_ADDED, "UP");
    marks.mark("every director has " + LB7_ADDED + " UP");
  }

  /** Waits until every router's next hops for every VIP satisfy {@code condition}. */
  static void awaitRouters(LabActions lab, java.util.function.Predicate<Set<String>> condition, String what) {
    List<InetAddress> vips = lab.topology().vips();
    LabActions.await(ROUTES, what, () -> vips.getFirst().getHostAddress() + " " + lab.routerNextHops(vips.getFirst()),
        () -> vips.stream().allMatch(v -> lab.routerNextHops(v).values().stream().allMatch(condition)));
  }

  /** Waits until every director has {@code lb7} in {@code state}; a null state: does not list it. */
  static void awaitDirectors(LabActions lab, String lb7, String state) {
    LabActions.await(CHECKS, "every director to have " + lb7 + " " + (state == null ? "gone" : state),
        () -> lab.directorsSee(lb7).toString(),
        () -> lab.directorsSee(lb7).values().stream().allMatch(s -> s.equals(Optional.ofNullable(state))));
  }

  /** Waits until every balancer has {@code server} in {@code state}; a null state: does not list it. */
  static void awaitBalancers(LabActions lab, String server, String state) {
    LabActions.await(CHECKS, "every balancer to have " + server + " " + (state == null ? "gone" : state),
        () -> lab.balancersSee(server).toString(),
        () -> lab.balancersSee(server).values().stream().allMatch(s -> s.equals(Optional.ofNullable(state))));
  }

  /** A scenario from its parts. */
  private record Defined(String name, String summary, Expectation expectation, String knownLimit,
      Consumer<LabActions> prepareStep, BiConsumer<LabActions, Marks> eventStep, Consumer<LabActions> restoreStep)
      implements Scenario {
    @Override
    public void prepare(LabActions lab) {
      prepareStep.accept(lab);
    }

    @Override
    public void event(LabActions lab, Marks marks) {
      eventStep.accept(lab, marks);
    }

    @Override
    public void restore(LabActions lab) {
      restoreStep.accept(lab);
    }
  }
}
