package org.example.lb.l4.director;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;
import static org.example.lb.common.config.Validation.positive;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.health.Lb7HealthConfig;
import org.example.lb.l4.maglev.MaglevTable;

/**
 * The l4-director configuration of one LB4 node (YAML, read by {@link org.example.lb.common.config.ConfigLoader}).
 * Nested records name their own fields; the loader prefixes the path ({@code backends[2].ipv4}) and the line.
 *
 * @param node this node's name (status, logs)
 * @param device the TUN device the VIP routes point at
 * @param tunnel how packets leave towards the LB7s
 * @param scheduling how a new flow picks an LB7
 * @param flows the per-worker flow tables
 * @param services the VIPs served: packets to anything else are dropped and counted
 * @param backends the LB7s
 * @param healthCheck how the LB7s are checked: HTTP GET {@code /healthcheck} expecting 200 and a TCP connect to port
 *     80 of each, every 1s, timeout 500ms, rise 2, fall 2 by default; HTTP failing while TCP works = DRAINING (keeps
 *     its flows), TCP failing = DOWN ({@link Lb7HealthConfig})
 * @param quorum when the service counts as up (the BGP speaker announces the VIPs only then)
 * @param admin the local admin endpoint (metrics, status)
 * @param shutdownGrace how long a stopping director keeps forwarding after its status says {@code serving: false},
 *     so the BGP speaker can withdraw its routes first; default 0s (static routes: nothing to wait for)
 * @param sync flow sync with the other directors (off unless {@code sync.listen} is set)
 */
public record DirectorConfig(
    String node,
    Device device,
    Tunnel tunnel,
    Scheduling scheduling,
    Flows flows,
    List<Service> services,
    List<Lb7> backends,
    Lb7HealthConfig healthCheck,
    Quorum quorum,
    Admin admin,
    Duration shutdownGrace,
    Sync sync) {

  public DirectorConfig {
    nonBlank("node", node);
    device = device == null ? new Device(null, 0) : device;
    tunnel = Validation.required("tunnel", tunnel);
    scheduling = scheduling == null ? new Scheduling(null, null, 0) : scheduling;
    flows = flows == null ? new Flows(0, null, null, null) : flows;
    if (services == null || services.isEmpty()) {
      throw invalid("services", services, "a non-empty list of services ({vip, protocol, port})");
    }
    services = List.copyOf(services);
    Set<Service> seen = new HashSet<>();
    for (int i = 0; i < services.size(); i++) {
      if (!seen.add(services.get(i))) {
        throw invalid("services[" + i + "]", services.get(i).describe(), "each service once");
      }
    }
    if (backends == null || backends.isEmpty()) {
      throw invalid("backends", backends, "a non-empty list of LB7s ({name, ipv4, ipv6, weight})");
    }
    backends = List.copyOf(backends);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < backends.size(); i++) {
      Lb7 b = backends.get(i);
      if (!names.add(b.name())) {
        throw invalid("backends[" + i + "].name", b.name(), "unique LB7 names");
      }
      if (b.ipv4().isPresent() && tunnel.ipv4Source().isEmpty() && b.ipv6().isEmpty()
          || b.ipv6().isPresent() && tunnel.ipv6Source().isEmpty() && b.ipv4().isEmpty()) {
        throw invalid("backends[" + i + "]", b.name(),
            "an address of a family this director has a tunnel source for (tunnel.ipv4Source / tunnel.ipv6Source)");
      }
    }
    if (backends.size() * 100L >= scheduling.tableSize()) {
      throw invalid("scheduling.tableSize", scheduling.tableSize(),
          "a prime > 100 × backends (" + backends.size() + " backends)");
    }
    healthCheck = healthCheck == null ? Lb7HealthConfig.defaults() : healthCheck;
    quorum = quorum == null ? new Quorum(0, 0) : quorum;
    admin = admin == null ? new Admin(0) : admin;
    shutdownGrace = shutdownGrace == null ? Duration.ZERO : shutdownGrace;
    if (shutdownGrace.isNegative() || shutdownGrace.compareTo(Duration.ofMinutes(10)) > 0) {
      throw invalid("shutdownGrace", shutdownGrace, "0s..10m");
    }
    sync = sync == null ? new Sync(Optional.empty(), 0, List.of(), null, null, 0) : sync;
  }

  /**
   * The TUN device. The operator (or the lab) normally creates it persistent, multi-queue, up, with the VIP routes
   * ({@code ip tuntap add dev lb4tun mode tun multi_queue}); the director attaches one queue per worker. If it does
   * not exist the director creates it, and it disappears (with its routes) when the director stops.
   *
   * @param name default {@code lb4tun}
   * @param workers worker threads, one TUN queue each; default 1 (1..64)
   */
  public record Device(String name, int workers) {
    public Device {
      name = name == null ? "lb4tun" : name;
      if (!name.matches("[a-zA-Z0-9_.-]{1,15}")) {
        throw invalid("name", name, "an interface name of 1-15 letters, digits, '_', '.', '-'");
      }
      workers = workers == 0 ? 1 : Validation.range("workers", workers, 1, 64);
    }
  }

  /**
   * The tunnel to the LB7s.
   *
   * @param ipv4Source outer source of IPv4 tunnel packets: this node's infrastructure address (optional)
   * @param ipv6Source outer source of IPv6 tunnel packets (optional)
   * @param mtu the egress MTU towards the LB7s; inner packets larger than {@code mtu} − 20 (IPv4) or − 40 (IPv6)
   *     get ICMP Packet Too Big; default 1500 (576..65535)
   * @param icmpPerSecond Packet Too Big messages per second per worker at most; default 100
   */
  public record Tunnel(Optional<String> ipv4Source, Optional<String> ipv6Source, int mtu, int icmpPerSecond) {
    public Tunnel {
      ipv4Source = ipv4Source == null ? Optional.empty() : ipv4Source;
      ipv6Source = ipv6Source == null ? Optional.empty() : ipv6Source;
      ipv4Source.ifPresent(a -> family("ipv4Source", a, true));
      ipv6Source.ifPresent(a -> family("ipv6Source", a, false));
      if (ipv4Source.isEmpty() && ipv6Source.isEmpty()) {
        throw invalid("ipv4Source", "missing", "ipv4Source or ipv6Source (or both): the addresses tunnel packets leave from");
      }
      mtu = mtu == 0 ? 1500 : Validation.range("mtu", mtu, 576, 65535);
      icmpPerSecond = icmpPerSecond == 0 ? 100 : Validation.range("icmpPerSecond", icmpPerSecond, 1, 1_000_000);
    }

    public Optional<InetAddress> ipv4() {
      return ipv4Source.map(a -> Validation.ipLiteral("ipv4Source", a));
    }

    public Optional<InetAddress> ipv6() {
      return ipv6Source.map(a -> Validation.ipLiteral("ipv6Source", a));
    }
  }

  /**
   * How a new flow picks an LB7.
   *
   * @param scheduler {@code maglev} (default), {@code rr}, {@code wrr}, {@code lc}, {@code wlc}, {@code sh}, {@code dh}
   * @param hashKey {@code five-tuple} (default) or {@code source}: what the consistent hash is keyed on
   * @param tableSize the Maglev table size, a prime > 100 × backends; default 65537
   */
  public record Scheduling(String scheduler, String hashKey, int tableSize) {
    private static final List<String> SCHEDULERS = List.of("maglev", "rr", "wrr", "lc", "wlc", "sh", "dh");

    public Scheduling {
      scheduler = scheduler == null ? "maglev" : scheduler.toLowerCase(Locale.ROOT);
      if (!SCHEDULERS.contains(scheduler)) {
        throw invalid("scheduler", scheduler, "one of " + String.join(", ", SCHEDULERS));
      }
      hashKey = hashKey == null ? "five-tuple" : hashKey.toLowerCase(Locale.ROOT);
      if (!hashKey.equals("five-tuple") && !hashKey.equals("source")) {
        throw invalid("hashKey", hashKey, "five-tuple or source");
      }
      tableSize = tableSize == 0 ? MaglevTable.DEFAULT_SIZE : Validation.range("tableSize", tableSize, 101, MaglevTable.MAX_SIZE);
      if (!java.math.BigInteger.valueOf(tableSize).isProbablePrime(30)) {
        throw invalid("tableSize", tableSize, "a prime such as 65537 or 655373");
      }
    }
  }

  /**
   * Each worker's flow table.
   *
   * @param capacity flows per worker, least recently used evicted beyond; default 262144
   * @param tcpIdle idle timeout of an established TCP flow; default 900s (IPVS's)
   * @param tcpClosingIdle idle timeout once the client sent FIN or RST; default 120s
   * @param udpIdle idle timeout of UDP (and other) flows; default 30s
   */
  public record Flows(int capacity, Duration tcpIdle, Duration tcpClosingIdle, Duration udpIdle) {
    public Flows {
      capacity = capacity == 0 ? 262_144 : Validation.range("capacity", capacity, 16, 1 << 26);
      tcpIdle = tcpIdle == null ? Duration.ofSeconds(900) : positive("tcpIdle", tcpIdle);
      tcpClosingIdle = tcpClosingIdle == null ? Duration.ofSeconds(120) : positive("tcpClosingIdle", tcpClosingIdle);
      udpIdle = udpIdle == null ? Duration.ofSeconds(30) : positive("udpIdle", udpIdle);
    }
  }

  /**
   * One service: a VIP, a protocol and a port.
   *
   * @param vip the virtual address (IPv4 or IPv6 literal)
   * @param protocol {@code tcp} (default) or {@code udp}
   * @param port the destination port; 0 (default) = every port
   */
  public record Service(String vip, String protocol, int port) {
    public Service {
      Validation.ipLiteral("vip", nonBlank("vip", vip));
      protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw invalid("protocol", protocol, "tcp or udp");
      }
      port = Validation.range("port", port, 0, 65535);
    }

    public InetAddress address() {
      return Validation.ipLiteral("vip", vip);
    }

    String describe() {
      return protocol + " " + vip + (port == 0 ? "" : " port " + port);
    }
  }

  /**
   * One LB7.
   *
   * @param name its name (status; the flow tables keep flows by name across reloads)
   * @param ipv4 its IPv4 infrastructure address (tunnel destination), optional
   * @param ipv6 its IPv6 infrastructure address, optional; at least one of the two
   * @param weight 1..65535, default 100; 0 = drained by configuration (keeps its flows, gets no new ones)
   */
  public record Lb7(String name, Optional<String> ipv4, Optional<String> ipv6, Integer weight) {
    public Lb7 {
      nonBlank("name", name);
      ipv4 = ipv4 == null ? Optional.empty() : ipv4;
      ipv6 = ipv6 == null ? Optional.empty() : ipv6;
      ipv4.ifPresent(a -> family("ipv4", a, true));
      ipv6.ifPresent(a -> family("ipv6", a, false));
      if (ipv4.isEmpty() && ipv6.isEmpty()) {
        throw invalid("ipv4", "missing", "ipv4 or ipv6 (or both): where tunnel packets for " + name + " go");
      }
      weight = weight == null ? 100 : Validation.range("weight", weight, 0, 65535);
    }

    public Optional<InetAddress> ipv4Address() {
      return ipv4.map(a -> Validation.ipLiteral("ipv4", a));
    }

    public Optional<InetAddress> ipv6Address() {
      return ipv6.map(a -> Validation.ipLiteral("ipv6", a));
    }

    /** The address health checks use: IPv4 if there is one. */
    public InetAddress checkAddress() {
      return ipv4Address().or(this::ipv6Address).orElseThrow();
    }
  }

  /**
   * keepalived's quorum: the service is up while the weight of UP LB7s is at least {@code weight}; with
   * {@code hysteresis} H it goes down below {@code weight − H} and comes back at {@code weight + H}.
   *
   * @param weight default 1 (one live LB7)
   * @param hysteresis default 0
   */
  public record Quorum(int weight, int hysteresis) {
    public Quorum {
      weight = weight == 0 ? 1 : Validation.range("weight", weight, 1, Integer.MAX_VALUE);
      hysteresis = Validation.range("hysteresis", hysteresis, 0, weight - 1);
    }
  }

  /**
   * The admin endpoint, always on 127.0.0.1: {@code /metrics} and {@code /status}.
   *
   * @param port default 9200
   */
  public record Admin(int port) {
    public Admin {
      port = port == 0 ? 9200 : Validation.port("port", port);
    }
  }

  /**
   * Flow sync (as IPVS's sync daemon, over UDP): this director tells its peers which LB7 each new TCP flow went to,
   * and remembers what they tell it. A flow that ECMP moves here from a peer (the peer was withdrawn or failed) then
   * keeps its LB7 even when the LB7 set changed since it began, where the consistent mid-flow table alone would move
   * the flows of the changed share. Off unless {@code listen} is set.
   *
   * @param listen this director's address the peers send to (and it sends from); empty = sync off
   * @param port the UDP port; default 7400
   * @param peers the other directors' {@code listen} addresses (same family); datagrams from anyone else are dropped
   * @param interval how often new flows are sent; default 100ms (10ms..5s)
   * @param refresh how often a flow still in use is sent again; default 10s (1s..10m); a peer forgets a flow not
   *     heard of for 3 × refresh
   * @param capacity peer flows remembered; default 262144
   */
  public record Sync(Optional<String> listen, int port, List<String> peers, Duration interval, Duration refresh,
      int capacity) {
    public Sync {
      listen = listen == null ? Optional.empty() : listen;
      port = port == 0 ? 7400 : Validation.port("port", port);
      peers = peers == null ? List.of() : List.copyOf(peers);
      interval = interval == null ? Duration.ofMillis(100) : interval;
      if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofSeconds(5)) > 0) {
        throw invalid("interval", interval, "10ms..5s");
      }
      refresh = refresh == null ? Duration.ofSeconds(10) : refresh;
      if (refresh.compareTo(Duration.ofSeconds(1)) < 0 || refresh.compareTo(Duration.ofMinutes(10)) > 0) {
        throw invalid("refresh", refresh, "1s..10m");
      }
      capacity = capacity == 0 ? 262_144 : Validation.range("capacity", capacity, 16, 1 << 24);
      if (listen.isPresent()) {
        InetAddress self = Validation.ipLiteral("listen", listen.get());
        if (peers.isEmpty()) {
          throw invalid("peers", "[]", "the other directors' addresses, since listen is set");
        }
        for (int i = 0; i < peers.size(); i++) {
          InetAddress peer = Validation.ipLiteral("peers[" + i + "]", peers.get(i));
          if (peer.getClass() != self.getClass()) {
            throw invalid("peers[" + i + "]", peers.get(i), "an address of the same family as listen (" + listen.get() + ")");
          }
          if (peer.equals(self)) {
            throw invalid("peers[" + i + "]", peers.get(i), "another director's address, not listen's");
          }
        }
      } else if (!peers.isEmpty()) {
        throw invalid("listen", "missing", "this director's address, since peers are set");
      }
    }

    /** Whether flow sync is on. */
    public boolean enabled() {
      return listen.isPresent();
    }

    public Optional<InetAddress> listenAddress() {
      return listen.map(a -> Validation.ipLiteral("listen", a));
    }

    public List<InetAddress> peerAddresses() {
      return peers.stream().map(a -> Validation.ipLiteral("peers", a)).toList();
    }
  }

  private static void family(String field, String text, boolean ipv4) {
    InetAddress a = Validation.ipLiteral(field, text);
    if (ipv4 && !(a instanceof Inet4Address) || !ipv4 && !(a instanceof Inet6Address)) {
      throw invalid(field, text, ipv4 ? "an IPv4 address" : "an IPv6 address");
    }
  }
}
