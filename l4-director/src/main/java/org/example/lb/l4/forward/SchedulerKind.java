package org.example.lb.l4.forward;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.example.lb.common.config.Validation;

/**
 * How the director picks an LB7 for a new flow (a TCP SYN, or the first packet of a UDP flow), named as in IPVS /
 * keepalived. Only UP backends with a positive weight take new flows.
 *
 * <ul>
 *   <li>{@link #MAGLEV} (default): the Maglev table (weighted, keyed on the 5-tuple or the source address, see
 *       {@link HashKey}). <b>Consistent across directors</b>: every director sends a flow to the same LB7, and a
 *       change of the backend set moves few flows.</li>
 *   <li>{@link #SH}: source hashing: a table of {@value ForwardingState#HASH_BUCKETS} buckets filled by weighted
 *       round robin over the backends sorted by name, indexed by the hash of the client address. <b>Consistent
 *       across directors</b> (order-independent), but a change of the backend set remaps most clients (as in IPVS);
 *       Maglev with {@link HashKey#SOURCE} gives the same affinity with minimal disruption.</li>
 *   <li>{@link #DH}: destination hashing, as SH over the destination (VIP) address: every flow to one VIP goes to
 *       one LB7. <b>Consistent across directors</b>.</li>
 *   <li>{@link #RR}: round robin. {@link #WRR}: smooth weighted round robin (each LB7 gets new flows in proportion
 *       to its weight, interleaved). {@link #LC}: least connections: the LB7 with the fewest flows in this worker's
 *       flow table. {@link #WLC}: weighted least connections: the fewest flows per unit of weight. These four are
 *       <b>per worker and NOT consistent across directors</b>: each worker of each director keeps its own cursor
 *       and counts, so a flow that ECMP moves to another director mid-stream is found there only through the
 *       consistent mid-flow table (see {@link ForwardingState}), which is Maglev and may pick another LB7. Ties
 *       (LC, WLC) go to the first backend by name.</li>
 * </ul>
 */
public enum SchedulerKind {
  MAGLEV("maglev", true),
  RR("rr", false),
  WRR("wrr", false),
  LC("lc", false),
  WLC("wlc", false),
  SH("sh", true),
  DH("dh", true);

  private final String configName;
  private final boolean consistent;

  SchedulerKind(String configName, boolean consistent) {
    this.configName = configName;
    this.consistent = consistent;
  }

  /**
   * The kind named {@code configName} ("maglev", "rr", "wrr", "lc", "wlc", "sh", "dh"; case-insensitive).
   *
   * @throws IllegalArgumentException {@code scheduler: x (expected: one of maglev, rr, wrr, lc, wlc, sh, dh)}
   */
  public static SchedulerKind parse(String configName) {
    if (configName != null) {
      for (SchedulerKind kind : values()) {
        if (kind.configName.equalsIgnoreCase(configName.strip())) {
          return kind;
        }
      }
    }
    throw Validation.invalid("scheduler", configName,
        "one of " + Arrays.stream(values()).map(SchedulerKind::configName).collect(Collectors.joining(", ")));
  }

  /** The name used in configuration files, e.g. "wlc". */
  public String configName() {
    return configName;
  }

  /** Whether every director picks the same LB7 for the same flow and backend set (MAGLEV, SH, DH). */
  public boolean consistentAcrossDirectors() {
    return consistent;
  }
}
