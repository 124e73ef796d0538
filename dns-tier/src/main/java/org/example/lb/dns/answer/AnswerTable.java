package org.example.lb.dns.answer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.ChunkCompiler;
import org.example.lb.dns.wire.ChunkCompiler.Section;
import org.example.lb.dns.wire.Query;
import org.example.lb.dns.wire.Rcode;
import org.example.lb.dns.wire.RrClass;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;
import org.example.lb.dns.zone.Zone;
import org.example.lb.dns.zone.ZoneException;

/**
 * Everything the server answers from, compiled and immutable: the zones' names with their precompiled answers, and
 * the server's identity (NSID, CHAOS strings). The running server holds one in an atomic reference and replaces it
 * whole on reload; a worker reads it once per query.
 *
 * <p>Finding an answer (RFC 1034 §4.3.2, without recursion): the longest suffix of the question name that is in the
 * table is the closest encloser. None: REFUSED (not ours). At or below a delegation: the referral. The name itself:
 * its answer for the type. Below it: the wildcard's answer if it has a {@code *} child (RFC 4592 §4), else NXDOMAIN.
 */
public final class AnswerTable {
  private static final Chunk REFUSED = Chunk.empty(false, Rcode.REFUSED);
  private static final byte[][] ID_NAMES = {lower("id.server"), lower("hostname.bind")};
  private static final byte[][] VERSION_NAMES = {lower("version.server"), lower("version.bind")};

  private final NameTable names;
  private final List<Zone> zones;
  private final Identity identity;
  private final byte[] nsid;
  private final Chunk chaosId;
  private final Chunk chaosVersion;

  private AnswerTable(NameTable names, List<Zone> zones, Identity identity) {
    this.names = names;
    this.zones = List.copyOf(zones);
    this.identity = identity;
    this.nsid = identity.nsid().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.chaosId = identity.id().map(AnswerTable::chaosTxt).orElse(REFUSED);
    this.chaosVersion = identity.version().map(AnswerTable::chaosTxt).orElse(REFUSED);
  }

  /**
   * Compiles {@code zones} (a zone inside another one takes over its names) with the server's identity.
   *
   * @throws ZoneException (file:line) when a zone cannot be compiled, e.g. a CNAME chain that loops
   */
  public static AnswerTable build(List<Zone> zones, Identity identity) throws ZoneException {
    return build(zones, identity, DynamicRrsets.none());
  }

  /**
   * As {@link #build(List, Identity)}, with the A and AAAA answers of {@code dynamic}'s names answered by it (each name
   * belongs to the deepest zone it is in; a name in no zone is ignored).
   *
   * @throws ZoneException (file:line) when a zone cannot be compiled, e.g. it has A records at a dynamic name
   */
  public static AnswerTable build(List<Zone> zones, Identity identity, DynamicRrsets dynamic) throws ZoneException {
    TableBuilder builder = new TableBuilder(dynamic, zones.stream().map(Zone::origin).toList());
    List<Zone> byDepth = zones.stream().sorted(Comparator.comparingInt(z -> z.origin().labelOffsets().length))
        .toList();
    for (Zone z : byDepth) {
      builder.add(z);
    }
    return new AnswerTable(builder.table(), zones, identity);
  }

  /** An empty table: every query is REFUSED. */
  public static AnswerTable empty(Identity identity) {
    try {
      return build(List.of(), identity);
    } catch (ZoneException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Zone> zones() {
    return zones;
  }

  public Identity identity() {
    return identity;
  }

  /** Names in the table (owners and empty non-terminals of every zone). */
  public int size() {
    return names.size();
  }

  /** The NSID payload, or null (never copied; do not modify). */
  byte[] nsid() {
    return nsid;
  }

  /** The answer to a parsed query of class IN or ANY; {@code random} is the worker's (dynamic answers draw from it). */
  Chunk answer(Query q, RandomGenerator random) {
    byte[] name = q.lowerName();
    int length = q.qnameLength();
    int labels = q.labelCount();
    for (int i = 0; i <= labels; i++) {
      int from = i < labels ? q.labelStart(i) : length - 1;
      Node node = names.find(name, from, length - from);
      if (node == null) {
        continue;
      }
      if (node.kind == Node.Kind.REFERRAL) {
        return node.referral;
      }
      if (i == 0) {
        return node.answer(q.qtype(), random);
      }
      Node wildcard = node.wildcard;
      return wildcard != null ? wildcard.answer(q.qtype(), random) : node.nxdomain;
    }
    return REFUSED;
  }

  /** The answer to a CHAOS-class query: TXT (or ANY) for the identity names, REFUSED otherwise. */
  Chunk chaos(Query q) {
    if (q.qtype() != RrType.TXT.code() && q.qtype() != RrType.ANY.code()) {
      return REFUSED;
    }
    if (matches(q, ID_NAMES)) {
      return chaosId;
    }
    if (matches(q, VERSION_NAMES)) {
      return chaosVersion;
    }
    return REFUSED;
  }

  static Chunk refused() {
    return REFUSED;
  }

  private static boolean matches(Query q, byte[][] candidates) {
    for (byte[] c : candidates) {
      if (Arrays.equals(c, 0, c.length, q.lowerName(), 0, q.qnameLength())) {
        return true;
      }
    }
    return false;
  }

  private static byte[] lower(String name) {
    return WireName.of(name).lower();
  }

  /** A TXT record of class CH, TTL 0, not authoritative (as gdnsd and BIND answer it). */
  private static Chunk chaosTxt(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(bytes.length, 255);
    byte[] rdata = new byte[n + 1];
    rdata[0] = (byte) n;
    System.arraycopy(bytes, 0, rdata, 1, n);
    return ChunkCompiler.below(WireName.ROOT)
        .add(Section.ANSWER, ChunkCompiler.QNAME, RrType.TXT.code(), RrClass.CH.code(), 0, rdata)
        .build(false, Rcode.NOERROR);
  }
}
