package org.example.lb.dns.server;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.dns.answer.Identity;
import org.example.lb.dns.health.ServiceType;
import org.example.lb.dns.resource.Binding;
import org.example.lb.dns.resource.ResourceConfig;
import org.example.lb.dns.wire.WireName;

/**
 * The dns-tier configuration of one node (YAML, read by {@link org.example.lb.common.config.ConfigLoader}, which
 * reports file, line and field of a mistake).
 *
 * <pre>
 * node: DNS1
 * listen: { addresses: [198.51.100.53, "2001:db8::198.51.100.53"], port: 53 }
 * workers: 2                     # threads; each has its own UDP and TCP socket per address (SO_REUSEPORT)
 * zones:                         # zone name: master file (relative to this file's directory)
 *   example.com: zones/example.com
 * nsid: dns1                     # RFC 5001 NSID, sent when asked
 * chaos: { id: dns1, version: "dns-tier 0.1" }   # id.server / version.server, class CH
 * tcp: { idleTimeout: 10s, maxConnections: 1024 }
 * admin: { port: 9500 }
 * serviceTypes:                  # how addresses are monitored (gdnsd's service_types): see ServiceType
 *   http: { plugin: http_status, port: 80, urlPath: /healthcheck, interval: 10s }
 * resources:                     # health-checked address sets (gdnsd's multifo, simplefo, weighted): see ResourceConfig
 *   www: { plugin: multifo, addresses: [192.0.2.1, 192.0.2.2], serviceTypes: [http] }
 * dynamic:                       # names answered from a resource (gdnsd's DYNA): see Binding
 *   www.example.com: { resource: www, ttl: 300, minTtl: 30 }
 * adminState: admin_state        # forced states (gdnsd's admin_state file); relative to this file's directory
 * </pre>
 *
 * <p>Relative extfile names are found in {@code ext/} beside this file ({@code /etc/lb/ext/} for
 * {@code /etc/lb/dns-tier.yaml}).
 *
 * @param node this node's name (status, logs; the default CHAOS id)
 * @param listen where queries are received
 * @param workers event-loop threads; default the number of processors
 * @param zones zone name → master file; at least one
 * @param nsid the NSID payload (1..128 printable ASCII characters); none: no NSID
 * @param chaos the CHAOS-class identity answers
 * @param tcp TCP connection handling (RFC 7766)
 * @param admin the local admin endpoint (metrics, status)
 * @param serviceTypes name → how to monitor an address; {@code up} and {@code down} are built in
 * @param resources name → a resource
 * @param dynamic name (in one of the zones) → the resource answering its A and AAAA queries; the zone must not have
 *     A, AAAA or CNAME records there (as gdnsd's DYNA)
 * @param adminState the admin_state file, relative to this file's directory; default {@code admin_state}
 */
public record DnsConfig(String node, Listen listen, int workers, Map<String, String> zones, Optional<String> nsid,
    Chaos chaos, Tcp tcp, Admin admin, Map<String, ServiceType> serviceTypes, Map<String, ResourceConfig> resources,
    Map<String, Binding> dynamic, Optional<String> adminState) {

  public DnsConfig {
    nonBlank("node", node);
    listen = listen == null ? new Listen(null, 0) : listen;
    workers = workers == 0 ? Runtime.getRuntime().availableProcessors() : Validation.range("workers", workers, 1, 256);
    if (zones == null || zones.isEmpty()) {
      throw invalid("zones", zones, "a mapping of zone names to master files, e.g. { example.com: zones/example.com }");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    List<WireName> seen = new ArrayList<>();
    for (Map.Entry<String, String> e : zones.entrySet()) {
      WireName name = zoneName(e.getKey());
      if (seen.contains(name)) {
        throw invalid("zones." + e.getKey(), e.getKey(), "each zone once");
      }
      seen.add(name);
      nonBlank("zones." + e.getKey(), e.getValue());
      checked.put(e.getKey(), e.getValue());
    }
    zones = java.util.Collections.unmodifiableMap(checked);
    nsid = nsid == null ? Optional.empty() : nsid;
    nsid.ifPresent(n -> {
      if (n.isEmpty() || n.length() > 128 || !n.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
        throw invalid("nsid", "\"" + n + "\"", "1..128 printable ASCII characters");
      }
    });
    chaos = chaos == null ? new Chaos(null, null) : chaos;
    tcp = tcp == null ? new Tcp(null, 0) : tcp;
    admin = admin == null ? new Admin(0) : admin;
    serviceTypes = serviceTypes == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(serviceTypes));
    for (String name : serviceTypes.keySet()) {
      if (name.equals("up") || name.equals("down")) {
        throw invalid("serviceTypes." + name, name, "another name: up and down are built in");
      }
    }
    resources = resources == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    for (Map.Entry<String, ResourceConfig> r : resources.entrySet()) {
      List<String> types = r.getValue().serviceTypes();
      for (int i = 0; i < types.size(); i++) {
        if (!types.get(i).equals("up") && !types.get(i).equals("down") && !serviceTypes.containsKey(types.get(i))) {
          throw invalid("resources." + r.getKey() + ".serviceTypes[" + i + "]", types.get(i),
              "a service type defined in serviceTypes, or up, or down");
        }
      }
    }
    dynamic = dynamic == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dynamic));
    List<WireName> bound = new ArrayList<>();
    for (Map.Entry<String, Binding> d : dynamic.entrySet()) {
      String field = "dynamic." + d.getKey();
      WireName name = dynamicName(field, d.getKey());
      if (bound.contains(name)) {
        throw invalid(field, d.getKey(), "each name once");
      }
      bound.add(name);
      if (seen.stream().noneMatch(name::isAtOrBelow)) {
        throw invalid(field, d.getKey(), "a name in one of the zones " + zones.keySet());
      }
      if (!resources.containsKey(d.getValue().resource())) {
        throw invalid(field + ".resource", d.getValue().resource(), "a resource defined in resources");
      }
    }
    adminState = adminState == null ? Optional.empty() : adminState;
    adminState.ifPresent(a -> nonBlank("adminState", a));
  }

  private static WireName dynamicName(String field, String text) {
    try {
      return WireName.of(text.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(field, text, "a domain name such as www.example.com");
    }
  }

  /** The dynamic names and their bindings. */
  public Map<WireName, Binding> dynamicNames() {
    Map<WireName, Binding> out = new LinkedHashMap<>();
    dynamic.forEach((name, binding) -> out.put(dynamicName("dynamic", name), binding));
    return out;
  }

  /** The admin_state file, resolved against {@code configDir}. */
  public Path adminStateFile(Path configDir) {
    return configDir.resolve(adminState.orElse("admin_state"));
  }

  /** Where relative extfile names are found: {@code ext/} in {@code configDir}. */
  public static Path extDirectory(Path configDir) {
    return configDir.resolve("ext");
  }

  static WireName zoneName(String text) {
    try {
      return WireName.of(text.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("zones", text, "a zone name such as example.com");
    }
  }

  /** The zones with their files resolved against {@code configDir}. */
  public Map<WireName, Path> zoneFiles(Path configDir) {
    Map<WireName, Path> out = new LinkedHashMap<>();
    zones.forEach((name, file) -> out.put(zoneName(name), configDir.resolve(file)));
    return out;
  }

  /** What the server says about itself. */
  public Identity identity() {
    return new Identity(nsid, Optional.of(chaos.id().orElse(node)), Optional.of(chaos.version()));
  }

  /**
   * @param addresses IP literals to listen on; default {@code [0.0.0.0, "::"]}, as gdnsd
   * @param port UDP and TCP port; default 53
   */
  public record Listen(List<String> addresses, int port) {
    public Listen {
      addresses = addresses == null ? List.of("0.0.0.0", "::") : List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw invalid("addresses", "[]", "at least one address");
      }
      for (int i = 0; i < addresses.size(); i++) {
        Validation.ipLiteral("addresses[" + i + "]", addresses.get(i));
      }
      port = port == 0 ? 53 : Validation.port("port", port);
    }

    public List<InetSocketAddress> socketAddresses() {
      List<InetSocketAddress> out = new ArrayList<>();
      for (String a : addresses) {
        InetAddress ip = Validation.ipLiteral("addresses", a);
        out.add(new InetSocketAddress(ip, port));
      }
      return out;
    }
  }

  /**
   * @param id the TXT answer to {@code id.server} / {@code hostname.bind} (class CH); default the node's name
   * @param version the answer to {@code version.server} / {@code version.bind}; default {@code dns-tier}
   */
  public record Chaos(Optional<String> id, String version) {
    public Chaos {
      id = id == null ? Optional.empty() : id;
      id.ifPresent(i -> limit("id", i));
      version = version == null ? "dns-tier" : limit("version", version);
    }

    private static String limit(String field, String value) {
      if (value.isEmpty() || value.length() > 255) {
        throw invalid(field, "\"" + value + "\"", "1..255 characters");
      }
      return value;
    }
  }

  /**
   * @param idleTimeout a connection without a query for this long is closed (RFC 7766 §6.2.3); default 10s
   * @param maxConnections open connections at most; more are closed at once; default 1024
   */
  public record Tcp(Duration idleTimeout, int maxConnections) {
    public Tcp {
      idleTimeout = idleTimeout == null ? Duration.ofSeconds(10) : Validation.positive("idleTimeout", idleTimeout);
      maxConnections = maxConnections == 0 ? 1024 : Validation.range("maxConnections", maxConnections, 1, 1_000_000);
    }
  }

  /** @param port the admin endpoint's port on 127.0.0.1; default 9500 */
  public record Admin(int port) {
    public Admin {
      port = port == 0 ? 9500 : Validation.port("port", port);
    }
  }
}
