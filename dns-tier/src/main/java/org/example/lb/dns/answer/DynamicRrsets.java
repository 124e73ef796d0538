package org.example.lb.dns.answer;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.WireName;

/**
 * Names whose address records are dynamic (gdnsd's {@code DYNA}): their A and AAAA answers come from a health-checked
 * resource instead of the zone file. Asked once per table build.
 *
 * <p>Like gdnsd's DYNA (gdnsd.zonefile(5)), a dynamic name cannot also have A, AAAA or CNAME records in its zone (the
 * zone fails to load, naming the record's line); it may have any other type, and need not exist in the zone at all (the
 * table then gets the name, with its empty non-terminals). A CNAME chain inside the zone that ends at a dynamic name
 * gets dynamic answers too: {@link #bind} is then called for the chain's end with a compiler that writes the chain
 * first.
 *
 * <p>The {@link Answer} returned must pick among chunks compiled beforehand with the given {@link RrsetCompiler} (one
 * per health state, recompiled when the resource's health changes, off the query path): answering stays a volatile read
 * and an array index, and a health change needs no table rebuild.
 */
public interface DynamicRrsets {
  /** Compiles an address RRset into the answer chunk for one bound name (or one CNAME chain ending there). */
  @FunctionalInterface
  interface RrsetCompiler {
    /**
     * The chunk answering with {@code addresses} (all of the bound type's family) with {@code ttl}: owner the question
     * name (or the chain's last name), AA, NOERROR. An empty list gives the zone's NODATA answer (NOERROR with the SOA;
     * after a chain, the chain and the SOA).
     */
    Chunk compile(List<InetAddress> addresses, long ttl);
  }

  /** The names with dynamic A and AAAA answers. */
  Set<WireName> names();

  /**
   * The answer for {@code type} (A or AAAA) at {@code name}, one of {@link #names()}.
   *
   * @param compiler compiles candidate RRsets for this name (or for a CNAME chain ending at it)
   */
  Answer bind(WireName name, int type, RrsetCompiler compiler);

  /** No dynamic answers: every RRset is served as the zone file has it. */
  static DynamicRrsets none() {
    return new DynamicRrsets() {
      @Override
      public Set<WireName> names() {
        return Set.of();
      }

      @Override
      public Answer bind(WireName name, int type, RrsetCompiler compiler) {
        throw new IllegalArgumentException(name + " is not dynamic");
      }
    };
  }
}
