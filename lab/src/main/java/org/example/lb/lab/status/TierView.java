package org.example.lb.lab.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.dns.DnsTier;
import org.example.lb.lab.l4.L4Tier;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.netns.NodeHttp;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * What every tier of the running lab reports, gathered at once (each node asked on its own virtual thread): the
 * routers' next hops per service address, the reflectors' BGP sessions, what each speaker announces, each director's
 * LB7s, each balancer's servers, each DNS node's resources.
 *
 * <p>Every part carries a {@code problem}: empty when the daemon answered, else why it did not ("connection refused",
 * "namespace missing", "no answer within 2 s"); a part with a problem is unhealthy. Collecting never throws for one
 * node's failure.
 */
public record TierView(List<RouterRoutes> routers, List<Reflector> reflectors, List<Speaker> speakers,
    List<Director> directors, List<Balancer> balancers, List<DnsNode> dns) {

  /** A router's next hops (node names) for each service address; healthy when each has at least one. */
  public record RouterRoutes(String router, Map<String, List<String>> nextHops, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }
  }

  /** A reflector's BGP sessions: peer node to session state; healthy when every one is ESTABLISHED. */
  public record Reflector(String node, Map<String, String> sessions, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }
  }

  /** A bgp-speaker: its health state, what it announces, its peers established of all. */
  public record Speaker(String node, String state, String advertisement, List<String> announced, int peersUp,
      int peers, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }
  }

  /**
   * A director: serving, its quorum, each LB7, and flow sync: the peers' flows it holds ({@code peerFlows}, -1 when
   * sync is off) and the mid-flow packets it sent where a peer had pinned the flow ({@code peerHits}).
   */
  public record Director(String node, boolean serving, boolean quorum, List<Backend> backends, long peerFlows,
      long peerHits, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }

    /** A director that did not answer, and why. */
    static Director unanswered(String node, String problem) {
      return new Director(node, false, false, List.of(), -1, 0, problem, false);
    }
  }

  /** An LB7 as a director sees it. */
  public record Backend(String name, String state, int weight, long flows, boolean healthy) {}

  /** A balancer's HAProxy and its servers (as its l7-agent reports them). */
  public record Balancer(String node, List<Server> servers, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }
  }

  /** A server as HAProxy sees it. */
  public record Server(String name, String status, int weight, long sessions, boolean healthy) {}

  /** A DNS node's resources. */
  public record DnsNode(String node, List<Resource> resources, String problem, boolean healthy) {
    public boolean answered() {
      return problem.isEmpty();
    }
  }

  /** A dynamic DNS resource: its state, TTL and how many addresses it answers. */
  public record Resource(String name, String plugin, String state, String ttl, int v4, int v6, boolean healthy) {}

  /** How long a command run in a node may take (curl has its own 2 s). */
  private static final Duration QUERY_WITHIN = Duration.ofSeconds(4);

  /** The pause between two collections while waiting for a healthy view. */
  private static final Duration AGAIN_AFTER = Duration.ofMillis(500);

  /** True when every part is healthy. */
  public boolean healthy() {
    return routers.stream().allMatch(RouterRoutes::healthy) && reflectors.stream().allMatch(Reflector::healthy)
        && speakers.stream().allMatch(Speaker::healthy) && directors.stream().allMatch(Director::healthy)
        && balancers.stream().allMatch(Balancer::healthy) && dns.stream().allMatch(DnsNode::healthy);
  }

  /** Asks every node of {@code topology} at once; a node that fails shows with its problem, unhealthy. */
  public static TierView collect(Topology topology) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, String> owners = addressOwners(topology);
      List<String> services = serviceAddresses(topology);
      List<Future<RouterRoutes>> routers = submit(threads, bgpRouters(topology), r -> routes(topology, r, services),
          (r, problem) -> new RouterRoutes(r, Map.of(), problem, false));
      List<Future<Reflector>> reflectors = submit(threads, names(topology, Role.REFLECTOR),
          n -> askReflector(n, owners),
          (n, problem) -> new Reflector(n, Map.of(), problem, false));
      List<String> speakerNodes = new ArrayList<>(names(topology, Role.L4));
      speakerNodes.addAll(names(topology, Role.DNS));
      List<Future<Speaker>> speakers = submit(threads, speakerNodes, TierView::speaker, TierView::silentSpeaker);
      List<Future<Director>> directors = submit(threads, names(topology, Role.L4), TierView::director,
          Director::unanswered);
      List<Future<Balancer>> balancers = submit(threads, names(topology, Role.L7), TierView::balancer,
          (n, problem) -> new Balancer(n, List.of(), problem, false));
      List<Future<DnsNode>> dns = submit(threads, names(topology, Role.DNS), TierView::dnsNode,
          (n, problem) -> new DnsNode(n, List.of(), problem, false));
      return new TierView(join(routers), join(reflectors), join(speakers), join(directors), join(balancers),
          join(dns));
    }
  }

  /**
   * {@link #collect}s again until the view is healthy or {@code within} has passed, handing every unhealthy view to
   * {@code meanwhile} (to log what was not yet healthy), and returns the last view collected, healthy or not.
   */
  public static TierView awaitHealthy(Topology topology, Duration within, Consumer<TierView> meanwhile)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (true) {
      TierView view = collect(topology);
      if (view.healthy() || System.nanoTime() - end >= 0) {
        return view;
      }
      meanwhile.accept(view);
      Thread.sleep(AGAIN_AFTER);
    }
  }

  // ---- routers

  /** The routers that learn the service addresses over BGP ({@code R1}, {@code R2}: no static route to them). */
  public static List<String> bgpRouters(Topology topology) {
    List<String> vips = topology.vips().stream().map(InetAddress::getHostAddress).toList();
    return topology.nodesWithRole(Role.ROUTER).stream()
        .filter(n -> n.routes().stream().noneMatch(r -> vips.contains(r.destination().address().getHostAddress())))
        .map(Node::name).toList();
  }

  /** The VIPs and the DNS nodes' anycast addresses. */
  static List<String> serviceAddresses(Topology topology) {
    List<String> out = new ArrayList<>();
    topology.vips().forEach(v -> out.add(Cidr.host(v).addressText()));
    for (Node n : topology.nodesWithRole(Role.DNS)) {
      for (Cidr c : n.loopback()) {
        if (!out.contains(c.addressText())) {
          out.add(c.addressText());
        }
      }
    }
    return out;
  }

  /**
   * The nodes (or gateway addresses, when no node has them) {@code router}'s FIB has as next hops for {@code to};
   * empty when it has none or cannot be asked.
   */
  public static List<String> nextHops(Topology topology, String router, InetAddress to) {
    try {
      return nextHopsOrFail(router, to, addressOwners(topology));
    } catch (LabFailure e) {
      return List.of();
    }
  }

  /** {@link #nextHops}, or a {@link LabFailure} saying why the router could not be asked. */
  private static List<String> nextHopsOrFail(String router, InetAddress to, Map<String, String> owners) {
    Exec.Result r = Netns.exec(router, List.of("ip", "-j", to.getAddress().length == 16 ? "-6" : "-4", "route",
        "show", to.getHostAddress()), QUERY_WITHIN);
    if (!r.ok()) {
      throw new LabFailure(NodeHttp.failure(r));
    }
    return parseNextHops(r.stdout(), owners);
  }

  static List<String> parseNextHops(String ipJson, Map<String, String> owners) {
    List<String> hops = new ArrayList<>();
    try {
      for (JsonNode route : ConfigLoader.json().readTree(ipJson.isBlank() ? "[]" : ipJson)) {
        if (route.has("gateway")) {
          hops.add(owners.getOrDefault(route.path("gateway").asText(), route.path("gateway").asText()));
        }
        for (JsonNode h : route.path("nexthops")) {
          hops.add(owners.getOrDefault(h.path("gateway").asText(), h.path("gateway").asText()));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return hops.stream().sorted().toList();
  }

  private static RouterRoutes routes(Topology topology, String router, List<String> services) {
    Map<String, String> owners = addressOwners(topology);
    Map<String, List<String>> hops = new java.util.LinkedHashMap<>();
    for (String address : services) {
      try {
        hops.put(address, nextHopsOrFail(router, parse(address), owners));
      } catch (LabFailure e) {
        return new RouterRoutes(router, hops, "ip route: " + e.getMessage(), false);
      }
    }
    return routes(router, hops);
  }

  /** A router that answered with {@code hops} per service address: healthy when each has at least one next hop. */
  static RouterRoutes routes(String router, Map<String, List<String>> hops) {
    return new RouterRoutes(router, hops, "", hops.values().stream().noneMatch(List::isEmpty));
  }

  // ---- BGP

  private static Reflector askReflector(String node, Map<String, String> owners) {
    Exec.Result r = Netns.exec(node, List.of("gobgp", "-j", "neighbor"), QUERY_WITHIN);
    if (!r.ok()) {
      return new Reflector(node, Map.of(), gobgpFailure(r), false);
    }
    try {
      return reflector(node, parseSessions(r.stdout(), owners));
    } catch (IOException e) {
      return new Reflector(node, Map.of(), "gobgp: not JSON", false);
    }
  }

  /** Why {@code gobgp -j ...} failed: the {@code error} it prints as JSON (gobgpd does not answer), else its exit. */
  static String gobgpFailure(Exec.Result r) {
    try {
      String error = ConfigLoader.json().readTree(r.stdout()).path("error").asText("");
      if (!error.isEmpty()) {
        return "gobgp: " + error;
      }
    } catch (IOException e) {
      // not JSON: say how it exited
    }
    return "gobgp: " + NodeHttp.failure(r);
  }

  /** A reflector that answered with {@code sessions}: healthy when there are some and all are ESTABLISHED. */
  static Reflector reflector(String node, Map<String, String> sessions) {
    return new Reflector(node, sessions, "", !sessions.isEmpty()
        && sessions.values().stream().allMatch("ESTABLISHED"::equals));
  }

  /** {@code gobgp -j neighbor}: peer (node name) to state; GoBGP's session_state 6 is ESTABLISHED. */
  static Map<String, String> parseSessions(String json, Map<String, String> owners) throws IOException {
    Map<String, String> sessions = new java.util.TreeMap<>();
    String[] states = {"UNKNOWN", "IDLE", "CONNECT", "ACTIVE", "OPENSENT", "OPENCONFIRM", "ESTABLISHED"};
    for (JsonNode n : ConfigLoader.json().readTree(json)) {
      String address = n.path("state").path("neighbor_address").asText(n.path("conf").path("neighbor_address").asText());
      int state = n.path("state").path("session_state").asInt(0);
      sessions.put(owners.getOrDefault(address, address), state >= 0 && state < states.length ? states[state] : "" + state);
    }
    return sessions;
  }

  private static Speaker speaker(String node) {
    NodeHttp.Reply reply = NodeHttp.get(node, org.example.lb.lab.bgp.BgpTier.SPEAKER_ADMIN_PORT, "/status");
    return reply.body().map(j -> speaker(node, j))
        .orElseGet(() -> silentSpeaker(node, "bgp-speaker: " + reply.problem()));
  }

  private static Speaker silentSpeaker(String node, String problem) {
    return new Speaker(node, "", "", List.of(), 0, 0, problem, false);
  }

  static Speaker speaker(String node, JsonNode j) {
    List<String> announced = new ArrayList<>();
    j.path("announced").forEach(a -> announced.add(a.path("prefix").asText()));
    int up = 0;
    int peers = 0;
    for (JsonNode p : j.path("peers")) {
      peers++;
      up += p.path("state").asText().equals("ESTABLISHED") ? 1 : 0;
    }
    String state = j.path("health").path("state").asText();
    return new Speaker(node, state, j.path("advertisement").asText(), announced, up, peers, "",
        state.equals("UP") && up == peers && peers > 0 && !announced.isEmpty());
  }

  // ---- directors, balancers, DNS

  private static Director director(String node) {
    NodeHttp.Reply reply = NodeHttp.get(node, L4Tier.DIRECTOR_ADMIN_PORT, "/status");
    return reply.body().map(j -> director(node, j))
        .orElseGet(() -> Director.unanswered(node, "l4-director: " + reply.problem()));
  }

  static Director director(String node, JsonNode j) {
    List<Backend> backends = new ArrayList<>();
    for (JsonNode b : j.path("backends")) {
      String state = b.path("state").asText();
      backends.add(new Backend(b.path("name").asText(), state, b.path("weight").asInt(), b.path("flows").asLong(),
          state.equals("UP")));
    }
    boolean serving = j.path("serving").asBoolean();
    boolean quorum = j.path("quorum").path("up").asBoolean();
    long peerFlows = j.path("sync").isObject() ? j.path("sync").path("peerFlows").asLong() : -1;
    long peerHits = 0;
    for (JsonNode w : j.path("workers")) {
      peerHits += w.path("peerHits").asLong();
    }
    return new Director(node, serving, quorum, backends, peerFlows, peerHits, "",
        serving && quorum && backends.stream().allMatch(Backend::healthy));
  }

  private static Balancer balancer(String node) {
    NodeHttp.Reply reply = NodeHttp.get(node, org.example.lb.lab.l7.L7Tier.ADMIN_PORT, "/status");
    return reply.body().map(j -> balancer(node, j))
        .orElseGet(() -> new Balancer(node, List.of(), "l7-agent: " + reply.problem(), false));
  }

  static Balancer balancer(String node, JsonNode j) {
    List<Server> servers = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = j.path("servers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode h = e.getValue().path("haproxy");
      String status = h.path("status").asText("?");
      servers.add(new Server(e.getKey(), status, h.path("weight").asInt(), h.path("sessions").asLong(),
          status.equals("UP")));
    }
    return new Balancer(node, servers, "", !servers.isEmpty() && servers.stream().allMatch(Server::healthy));
  }

  private static DnsNode dnsNode(String node) {
    NodeHttp.Reply reply = NodeHttp.get(node, DnsTier.ADMIN_PORT, "/states");
    return reply.body().map(j -> dnsNode(node, j))
        .orElseGet(() -> new DnsNode(node, List.of(), "dns-tier: " + reply.problem(), false));
  }

  static DnsNode dnsNode(String node, JsonNode j) {
    List<Resource> resources = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = j.path("resources").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode r = e.getValue();
      String state = r.path("state").asText();
      resources.add(new Resource(e.getKey(), r.path("plugin").asText(), state, r.path("ttl").asText(),
          r.path("v4").size(), r.path("v6").size(), state.equalsIgnoreCase("up")));
    }
    return new DnsNode(node, resources, "", !resources.isEmpty() && resources.stream().allMatch(Resource::healthy));
  }

  // ---- plumbing

  private static List<String> names(Topology topology, Role role) {
    return topology.nodesWithRole(role).stream().map(Node::name).toList();
  }

  static Map<String, String> addressOwners(Topology topology) {
    Map<String, String> owners = new HashMap<>();
    for (Node n : topology.nodes()) {
      for (Cidr a : n.linkAddresses()) {
        owners.put(a.addressText(), n.name());
        owners.put(a.address().getHostAddress(), n.name());
      }
    }
    return owners;
  }

  private static InetAddress parse(String literal) {
    return Cidr.parse(literal).orElseThrow().address();
  }

  /** Asks each of {@code nodes} on its own thread; a failure becomes {@code failed.apply(node, why)}. */
  private static <T> List<Future<T>> submit(ExecutorService threads, List<String> nodes, Function<String, T> ask,
      BiFunction<String, String, T> failed) {
    return nodes.stream().map(n -> threads.submit(() -> {
      try {
        return ask.apply(n);
      } catch (RuntimeException e) {
        return failed.apply(n, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    })).toList();
  }

  private static <T> List<T> join(List<Future<T>> futures) {
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("status collection failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
    return out;
  }
}
