package org.example.lb.dns.resource;

import java.net.InetAddress;
import java.util.List;

/** What one address family of a resource answers with, given the health of its addresses. */
public sealed interface Choice {
  /** No address of this family: the bound name has no records of it (NODATA). */
  Choice NONE = new Listed(List.of());

  /** Exactly these addresses (multifo, simplefo). */
  record Listed(List<InetAddress> addresses) implements Choice {
    public Listed {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A draw per query (weighted): one address with odds weight / sum, or with {@code multi} each address with odds
   * weight / largest weight (gdnsd-plugin-weighted(8), the ungrouped cases).
   *
   * @param weights the dynamic weights, in the order of {@code addresses}: 0 for an address that is DOWN
   */
  record Weighted(List<InetAddress> addresses, List<Integer> weights, boolean multi) implements Choice {
    public Weighted {
      addresses = List.copyOf(addresses);
      weights = List.copyOf(weights);
    }
  }
}
