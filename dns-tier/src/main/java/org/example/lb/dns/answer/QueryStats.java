package org.example.lb.dns.answer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, named as gdnsd's {@code gdnsdctl stats} names them where there is an equivalent. Each is a
 * {@link LongAdder}: incremented on the query path without locks or allocation, summed when read.
 */
public final class QueryStats {
  /** What is counted. */
  public enum Stat {
    /** Responses by rcode. */
    NOERROR, NXDOMAIN, REFUSED, FORMERR, NOTIMP, BADVERS,
    /** Requests dropped without an answer: shorter than a header. */
    DROPPED_SHORT,
    /** Requests dropped without an answer: QR set (a response sent to us). */
    DROPPED_RESPONSE,
    /** Requests with an OPT record; of those, with the DO bit; with an NSID option. */
    EDNS, EDNS_DO, NSID,
    /** Requests over IPv6. */
    V6,
    /**
     * UDP: requests, responses truncated (TC), EDNS payloads above 512, send failures, receive failures (an error
     * from recvmmsg, or a query the responder failed on).
     */
    UDP_REQS, UDP_TC, UDP_EDNS_BIG, UDP_SENDFAIL, UDP_RECVFAIL,
    /** TCP: requests, connections accepted, closed by the client, closed idle, closed on error, refused. */
    TCP_REQS, TCP_CONNS, TCP_CLOSE_C, TCP_CLOSE_S_IDLE, TCP_CLOSE_S_ERR, TCP_CONNS_REFUSED,
    /** TCP: requests whose length prefix announced a message too short to hold a header (the connection is closed). */
    TCP_RECVFAIL;

    /** {@code udp.reqs}, {@code noerror}: the name in status and metrics. */
    public String key() {
      String n = name().toLowerCase(Locale.ROOT);
      if (n.startsWith("udp_") || n.startsWith("tcp_")) {
        return n.substring(0, 3) + "." + n.substring(4);
      }
      return n;
    }
  }

  private final LongAdder[] counters = new LongAdder[Stat.values().length];

  public QueryStats() {
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder();
    }
  }

  public void increment(Stat stat) {
    counters[stat.ordinal()].increment();
  }

  /** Adds {@code n} at once (a batch of datagrams). */
  public void add(Stat stat, long n) {
    counters[stat.ordinal()].add(n);
  }

  public long get(Stat stat) {
    return counters[stat.ordinal()].sum();
  }

  /** Every counter by {@link Stat#key}, in declaration order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Stat s : Stat.values()) {
      out.put(s.key(), get(s));
    }
    return out;
  }
}
