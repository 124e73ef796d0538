package org.example.lb.l4.endpoint;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.example.lb.common.config.Validation;

/**
 * The tunnel endpoint's configuration on one LB7 (YAML, read by {@link org.example.lb.common.config.ConfigLoader}):
 *
 * <pre>
 * node: lb7-1
 * device: lb7tun0                      # default lb7tun0
 * vips: ["203.0.113.10", "2001:db8:10::10"]
 * directors: ["192.0.2.1", "2001:db8::1"]   # optional; absent = any outer source (labs only)
 * admin: { port: 9300 }                # default 9300, always on 127.0.0.1
 * receiveBufferBytes: 4194304          # default 4 MiB per raw socket (capped by net.core.rmem_max)
 * relaxReversePathFilter: false        # default false
 * </pre>
 *
 * @param node this node's name (status, logs)
 * @param device the TUN device the decapsulated packets are written to; default {@code lb7tun0}. The operator
 *     normally creates it persistent and up ({@code ip tuntap add dev lb7tun0 mode tun; ip link set lb7tun0 up});
 *     if it does not exist the endpoint creates it (down, and gone when the endpoint stops)
 * @param vips the VIPs (on lo): inner packets to any other destination are dropped and counted
 *     ({@code UNKNOWN_VIP}); required, at least one
 * @param directors outer source addresses allowed to send tunnel packets (the directors' infrastructure addresses);
 *     absent: any source, for labs only, since anyone who reaches the LB7 could then inject packets with forged
 *     inner sources. Others are dropped and counted ({@code UNKNOWN_TUNNEL_SOURCE})
 * @param admin the local admin endpoint ({@code /metrics}, {@code /status})
 * @param receiveBufferBytes SO_RCVBUF asked for each raw socket; default 4 MiB (4096..1 GiB); the kernel caps it
 *     at {@code net.core.rmem_max}, the status shows what it granted
 * @param relaxReversePathFilter when IPv4 reverse-path filtering would drop the decapsulated packets (they arrive on
 *     the device with the client's source), set the device's own {@code net.ipv4.conf.<device>.rp_filter} (to 0, or
 *     to 2 when {@code conf.all} is 1 and the device has an IPv4 address) instead of refusing to start; never touches
 *     {@code conf.all}. Default false. See {@link ReversePathFilter} for the rule
 */
public record EndpointConfig(
    String node,
    String device,
    List<String> vips,
    Optional<List<String>> directors,
    Admin admin,
    int receiveBufferBytes,
    boolean relaxReversePathFilter) {

  /** Default TUN device name. */
  public static final String DEFAULT_DEVICE = "lb7tun0";
  /** Default SO_RCVBUF request. */
  public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 4 << 20;

  public EndpointConfig {
    nonBlank("node", node);
    device = device == null ? DEFAULT_DEVICE : device;
    if (!device.matches("[a-zA-Z0-9_.-]{1,15}")) {
      throw invalid("device", device, "an interface name of 1-15 letters, digits, '_', '.', '-'");
    }
    if (vips == null || vips.isEmpty()) {
      throw invalid("vips", vips == null ? "missing" : vips, "a non-empty list of VIP address literals");
    }
    vips = addresses("vips", vips);
    directors = directors == null ? Optional.empty() : directors;
    if (directors.isPresent()) {
      if (directors.get().isEmpty()) {
        throw invalid("directors", "[]",
            "a non-empty list of director addresses, or no directors key to accept any source");
      }
      directors = Optional.of(addresses("directors", directors.get()));
    }
    admin = admin == null ? new Admin(0) : admin;
    receiveBufferBytes = receiveBufferBytes == 0
        ? DEFAULT_RECEIVE_BUFFER_BYTES
        : Validation.range("receiveBufferBytes", receiveBufferBytes, 4096, 1 << 30);
  }

  private static List<String> addresses(String field, List<String> texts) {
    Set<InetAddress> seen = new HashSet<>();
    List<String> copy = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      InetAddress a = Validation.ipLiteral(field + "[" + i + "]", text);
      if (!seen.add(a)) {
        throw invalid(field + "[" + i + "]", text, "each address once");
      }
      copy.add(text);
    }
    return List.copyOf(copy);
  }

  /** The VIPs as addresses. */
  public List<InetAddress> vipAddresses() {
    return vips.stream().map(v -> Validation.ipLiteral("vips", v)).toList();
  }

  /** The allowed directors as addresses; empty: any source. */
  public Optional<List<InetAddress>> directorAddresses() {
    return directors.map(list -> list.stream().map(d -> Validation.ipLiteral("directors", d)).toList());
  }

  /**
   * The admin endpoint, always on 127.0.0.1: {@code /metrics} and {@code /status}.
   *
   * @param port default 9300
   */
  public record Admin(int port) {
    /** Default admin port. */
    public static final int DEFAULT_PORT = 9300;

    public Admin {
      port = port == 0 ? DEFAULT_PORT : Validation.port("port", port);
    }
  }
}
