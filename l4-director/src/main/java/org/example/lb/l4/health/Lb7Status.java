package org.example.lb.l4.health;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.l4.forward.BackendState;

/**
 * One LB7's health at one moment, for {@code status} and {@code /status}.
 *
 * @param name the LB7
 * @param address where it is checked
 * @param state what the checks make of it
 * @param http the last HTTP result, empty before the first
 * @param tcp the last TCP result, empty before the first
 * @param since when {@code state} began (the start of checking for the initial state)
 */
public record Lb7Status(String name, InetAddress address, BackendState state, Optional<ProbeResult> http,
    Optional<ProbeResult> tcp, Instant since) {

  /** The status as plain JSON values: names, strings and numbers (times ISO-8601, elapsed in ms). */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", Addresses.toText(address));
    m.put("state", state.name());
    m.put("since", since.toString());
    m.put("http", http.map(Lb7Status::result).orElse(null));
    m.put("tcp", tcp.map(Lb7Status::result).orElse(null));
    return m;
  }

  private static Map<String, Object> result(ProbeResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", r.ok());
    m.put("detail", r.detail());
    m.put("elapsedMs", r.elapsed().toMillis());
    return m;
  }
}
