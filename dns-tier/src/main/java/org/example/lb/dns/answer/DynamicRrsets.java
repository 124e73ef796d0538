package org.example.lb.dns.answer;

import java.util.List;
import java.util.Optional;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.WireName;
import org.xbill.DNS.Record;

/**
 * Binds address RRsets to dynamic sources: the extension point for health-driven answers (gdnsd's multifo,
 * simplefo, weighted). Asked once per table build for the A and the AAAA RRset of every authoritative name of every
 * zone (the zone's own records are the static fallback); the {@link Answer} it returns is then asked once per query.
 *
 * <p>The intended use: at bind time, compile one chunk per health state combination of the name's resources (a few:
 * e.g. "primary up" / "primary down, secondary up" / "all down", each with its own records and TTL) with the given
 * {@link RrsetCompiler}, and return an {@link Answer} that indexes them by a value read from the current health
 * snapshot (a volatile field or an atomic reference swapped by the monitors). The query path then stays a volatile
 * read and an array index; a health change needs no table rebuild. See docs/dns.md, "Dynamic answers".
 */
@FunctionalInterface
public interface DynamicRrsets {
  /** Compiles records into the answer chunk for one name: owner the question name, AA set, NOERROR. */
  @FunctionalInterface
  interface RrsetCompiler {
    /**
     * The chunk answering with {@code rrset} (all of one type, owned by the bound name; each record's TTL is kept).
     * An empty list gives the zone's NODATA answer (NOERROR with the SOA).
     */
    Chunk compile(List<Record> rrset);
  }

  /**
   * The answer to use for {@code type} (A or AAAA) at {@code name}, or empty to serve the zone's records.
   *
   * @param zoneRrset the zone file's records for the name and type
   * @param compiler compiles candidate RRsets for this name
   */
  Optional<Answer> bind(WireName name, int type, List<Record> zoneRrset, RrsetCompiler compiler);

  /** No dynamic answers: every RRset is served as the zone file has it. */
  static DynamicRrsets none() {
    return (name, type, zoneRrset, compiler) -> Optional.empty();
  }
}
