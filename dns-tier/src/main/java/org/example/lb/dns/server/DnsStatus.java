package org.example.lb.dns.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /status} of a running server says (JSON), and what {@code dns-tier status} renders.
 *
 * @param node the node's name
 * @param listening the addresses served (UDP and TCP)
 * @param workers event-loop threads
 * @param zones each configured zone: what is served and the last load's outcome
 * @param stats the counters, named like gdnsd's {@code gdnsdctl stats} ({@code noerror}, {@code udp.reqs}, ...)
 * @param tcpOpen TCP connections open now
 * @param lastReload the outcome of the last reload, if there was one
 */
public record DnsStatus(String node, List<String> listening, int workers, List<ZoneStatus> zones,
    Map<String, Long> stats, int tcpOpen, Optional<String> lastReload) {

  /**
   * @param name the zone
   * @param file its master file
   * @param serving whether it is answered from (a zone that never loaded is not)
   * @param serial the SOA serial served
   * @param records records served
   * @param loadedAt when the served version was loaded (ISO-8601)
   * @param error why the last load of the file failed ({@code file:line: ...}), while the previous version is served
   */
  public record ZoneStatus(String name, String file, boolean serving, Optional<Long> serial, int records,
      Optional<String> loadedAt, Optional<String> error) {}
}
