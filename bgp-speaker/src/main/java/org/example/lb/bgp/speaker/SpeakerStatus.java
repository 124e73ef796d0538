package org.example.lb.bgp.speaker;

import java.util.List;
import java.util.Optional;

/**
 * What {@code /status} of a running speaker says (JSON), and what {@code bgp-speaker status} renders.
 *
 * @param node the node's name
 * @param health the health check: state (INIT, DISABLED, RISING, FALLING, UP, DOWN, EXIT), since when, the last
 *     check's result
 * @param advertisement what the health state asks for: {@code announce med N} or {@code withdraw}
 * @param gobgpd the local gobgpd: connected, in sync, the last error
 * @param peers the BGP sessions gobgpd has
 * @param announced the routes gobgpd holds from this speaker
 * @param lastReload the outcome of the last reload, if there was one
 */
public record SpeakerStatus(String node, Health health, String advertisement, Gobgpd gobgpd, List<Peer> peers,
    List<AnnouncedRoute> announced, Optional<String> lastReload) {

  /**
   * @param state the health state
   * @param since when it was entered (ISO-8601)
   * @param lastCheck the last check's result ({@code ok: reason} or {@code failed: reason}), if any
   * @param checksRun checks run so far
   * @param disableFile the maintenance flag file
   */
  public record Health(String state, String since, Optional<String> lastCheck, long checksRun, String disableFile) {}

  /**
   * @param api gobgpd's API address
   * @param connected whether gobgpd answered the last call
   * @param inSync whether gobgpd holds what the speaker wants
   * @param lastError why the last attempt failed, if it did
   */
  public record Gobgpd(String api, boolean connected, boolean inSync, Optional<String> lastError) {}

  /**
   * @param address the neighbour
   * @param asn its AS
   * @param state the session state (ESTABLISHED, ACTIVE, ...)
   * @param accepted prefixes accepted from it
   * @param advertised prefixes advertised to it
   */
  public record Peer(String address, long asn, String state, long accepted, long advertised) {}

  /**
   * @param prefix the prefix
   * @param nextHop its next hop
   * @param med its MED, if any
   */
  public record AnnouncedRoute(String prefix, String nextHop, Optional<Long> med) {}
}
