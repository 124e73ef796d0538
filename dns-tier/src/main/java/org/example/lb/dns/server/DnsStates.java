package org.example.lb.dns.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /states} of a running server says (JSON), and what {@code dns-tier states} renders: gdnsd's
 * {@code gdnsdctl states} (each monitor's {@code state} and {@code real_state}, {@code !} when forced), with the TTLs,
 * the last checks, and what each resource answers.
 *
 * @param monitors by name ({@code ADDRESS/SERVICE_TYPE})
 * @param resources by name
 * @param adminState the admin_state file
 * @param extfileBadLines extfile lines skipped as malformed since start
 * @param extfileHalfWritten extfile versions read as they were, still empty or without a final newline after
 *     waiting, since start
 * @param adminStateRejected admin_state versions ignored for a malformed line since start
 */
public record DnsStates(Map<String, Monitor> monitors, Map<String, Resource> resources, String adminState,
    long extfileBadLines, long extfileHalfWritten, long adminStateRejected) {

  /**
   * @param state UP or DOWN, {@code !} when forced (gdnsd's)
   * @param realState what the monitor sees
   * @param ttl the effective state's TTL (seconds; {@code MAX} when unlimited)
   * @param plugin http_status, tcp_connect, extfile or static
   * @param lastCheck what the last check saw
   * @param since when the real state last changed
   * @param progress the anti-flap counters, when some are counted
   */
  public record Monitor(String state, @JsonProperty("real_state") String realState, String ttl, String plugin,
      String lastCheck, Optional<String> since, String progress) {}

  /**
   * @param plugin multifo, simplefo or weighted
   * @param state up, degraded or down
   * @param forced the state an admin_state line forces on every address of the resource ({@code multifo/www}), if any
   * @param ttl the monitored TTL before each name's limits ({@code MAX} when unlimited)
   * @param v4 what A queries get: the addresses, or for weighted resources each address with its dynamic weight
   * @param v6 what AAAA queries get
   * @param names the names bound to it
   * @param answers answers sent, by the state they were sent in
   */
  public record Resource(String plugin, String state, Optional<String> forced, String ttl, List<String> v4,
      List<String> v6, List<String> names, Map<String, Long> answers) {}
}
