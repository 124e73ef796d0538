package org.example.lb.dns.answer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.ChunkCompiler;
import org.example.lb.dns.wire.ChunkCompiler.RdataPart;
import org.example.lb.dns.wire.ChunkCompiler.Section;
import org.example.lb.dns.wire.Rcode;
import org.example.lb.dns.wire.RrClass;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;
import org.example.lb.dns.zone.Zone;
import org.example.lb.dns.zone.ZoneException;
import org.example.lb.dns.zone.ZoneRecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Compiles zones into nodes: every answer a name can give is turned into a {@link Chunk} here, once per load, so the
 * query path only finds and copies.
 *
 * <p>What is compiled, per zone: one NODATA and one NXDOMAIN chunk carrying the SOA with the negative TTL
 * (RFC 2308 §3, §5); per delegation one referral (NS in authority, glue for the name servers at or below the cut in
 * additional, AA clear; RFC 1034 §4.3.2 step 3b); per name one chunk per type present, one for ANY, and for a CNAME
 * the chain followed inside the zone (RFC 1034 §4.3.2 step 3a; RFC 6604 for the rcode of a chain that ends in a name
 * that does not exist), one chunk per type its last name has.
 *
 * <p>Dynamic names ({@link DynamicRrsets}) get their A and AAAA answers from it, as gdnsd's DYNA: the zone must not
 * have A, AAAA or CNAME records there, name it as a name server, nor delegate it; a name without records is added with
 * its empty non-terminals. A CNAME chain ending at a dynamic name ends with the dynamic addresses.
 */
final class TableBuilder {
  /** The TTL of the RFC 8482 §4.2 HINFO answer to ANY (gdnsd's). */
  static final long ANY_HINFO_TTL = 3600;
  /** RFC 1034 leaves chain length open; gdnsd refuses chains of 16 and more, and so does this server. */
  static final int MAX_CHAIN = 16;

  private final Map<NameTable.Key, Node> entries = new HashMap<>();
  private final Chunk anyHinfo;
  private final DynamicRrsets dynamic;
  /** Every zone's apex: a dynamic name belongs to the deepest zone it is in. */
  private final List<WireName> origins;

  TableBuilder(DynamicRrsets dynamic, List<WireName> origins) {
    this.dynamic = dynamic;
    this.origins = List.copyOf(origins);
    byte[] rfc8482 = {7, 'R', 'F', 'C', '8', '4', '8', '2', 0};
    anyHinfo = ChunkCompiler.below(WireName.ROOT)
        .add(Section.ANSWER, ChunkCompiler.QNAME, RrType.HINFO.code(), RrClass.IN.code(), ANY_HINFO_TTL, rfc8482)
        .build(true, Rcode.NOERROR);
  }

  NameTable table() {
    return new NameTable(entries);
  }

  static WireName wire(Name name) {
    return new WireName(name.toWire());
  }

  /** What a name resolves to inside its zone, for CNAME chains. */
  private sealed interface Target permits Data, Missing, Elsewhere {}

  /** An existing name (or a wildcard matching it) with its records. */
  private record Data(WireName owner, Map<Integer, List<ZoneRecord>> records) implements Target {}

  /** A name of the zone that does not exist: the chain ends in NXDOMAIN (RFC 6604 §2). */
  private record Missing() implements Target {}

  /** Outside the zone, or at or below a delegation: the chain stops there. */
  private record Elsewhere() implements Target {}

  /** Adds a zone; a zone below an earlier one replaces the earlier one's names at and below its apex. */
  void add(Zone zone) throws ZoneException {
    WireName apex = zone.origin();
    byte[] apexLower = apex.lower();
    entries.keySet().removeIf(k -> endsWith(k.lower(), apexLower));

    Map<WireName, Map<Integer, List<ZoneRecord>>> byName = new LinkedHashMap<>();
    for (ZoneRecord zr : zone.records()) {
      byName.computeIfAbsent(wire(zr.record().getName()), n -> new TreeMap<>())
          .computeIfAbsent(zr.record().getType(), t -> new ArrayList<>()).add(zr);
    }
    Set<WireName> cuts = new HashSet<>();
    byName.forEach((name, types) -> {
      if (!name.equals(apex) && types.containsKey(RrType.NS.code())) {
        cuts.add(name);
      }
    });
    Set<WireName> dynamicHere = dynamicNames(zone, byName, cuts);
    Set<WireName> names = new LinkedHashSet<>(); // owners and the empty non-terminals between them and the apex
    List<WireName> owners = new ArrayList<>(byName.keySet());
    owners.addAll(dynamicHere);
    for (WireName owner : owners) { // every ancestor up to the apex exists (RFC 8020)
      WireName n = owner;
      while (names.add(n) && !n.equals(apex)) {
        n = n.parent();
      }
    }

    Chunk nodata = soaChunk(zone, Rcode.NOERROR);
    Chunk nxdomain = soaChunk(zone, Rcode.NXDOMAIN);
    Map<WireName, Chunk> referrals = new HashMap<>();
    for (WireName cut : cuts) {
      referrals.put(cut, referral(cut, byName));
    }

    Map<WireName, Node> local = new HashMap<>();
    for (WireName name : names) {
      WireName cut = cutAbove(name, apex, cuts);
      Node node;
      if (cut != null) {
        node = new Node(Node.Kind.REFERRAL, new int[0], new Answer[0], null, null, referrals.get(cut), nxdomain);
      } else {
        node = authoritative(zone, name, byName.getOrDefault(name, Map.of()), byName, names, cuts, dynamicHere,
            nodata, nxdomain);
      }
      local.put(name, node);
    }
    for (WireName name : names) {
      byte[] w = name.wire();
      if (w[0] == 1 && w[1] == '*' && !name.equals(apex)) {
        Node parent = local.get(name.parent());
        if (parent != null && parent.kind == Node.Kind.AUTHORITATIVE) {
          parent.wildcard = local.get(name);
        }
      }
    }
    local.forEach((name, node) -> entries.put(new NameTable.Key(name.lower()), node));
  }

  /**
   * The dynamic names of this zone (not of a deeper one), checked as gdnsd checks DYNA: no A, AAAA or CNAME beside
   * them, not the target of an NS record (gdnsd.zonefile(5), "DYNA"), not at or below a delegation.
   */
  private Set<WireName> dynamicNames(Zone zone, Map<WireName, Map<Integer, List<ZoneRecord>>> byName,
      Set<WireName> cuts) throws ZoneException {
    WireName apex = zone.origin();
    Set<WireName> here = new LinkedHashSet<>();
    for (WireName name : dynamic.names()) {
      if (!name.isAtOrBelow(apex) || origins.stream().anyMatch(o -> !o.equals(apex) && o.isAtOrBelow(apex)
          && name.isAtOrBelow(o))) {
        continue; // another zone's
      }
      WireName cut = cutAbove(name, apex, cuts);
      if (cut != null) {
        throw new ZoneException(zone.file() + ": " + name + ": dynamic name at or below the delegation " + cut
            + " (expected: a name this server is authoritative for)");
      }
      for (Map<Integer, List<ZoneRecord>> owner : byName.values()) {
        for (ZoneRecord ns : owner.getOrDefault(RrType.NS.code(), List.of())) {
          if (wire(((NSRecord) ns.record()).getTarget()).equals(name)) {
            throw new ZoneException(zone.file() + ":" + ns.line() + ": " + name + ": dynamic name is the target of an "
                + "NS record (expected: name servers with static addresses, as gdnsd requires for DYNA)");
          }
        }
      }
      Map<Integer, List<ZoneRecord>> types = byName.getOrDefault(name, Map.of());
      for (RrType t : new RrType[] {RrType.A, RrType.AAAA, RrType.CNAME}) {
        List<ZoneRecord> clash = types.get(t.code());
        if (clash != null) {
          throw new ZoneException(zone.file() + ":" + clash.getFirst().line() + ": " + name + ": " + t
              + " record at a dynamic name (expected: no A, AAAA or CNAME where the addresses come from a resource,"
              + " as with gdnsd's DYNA)");
        }
      }
      here.add(name);
    }
    return here;
  }

  private static boolean endsWith(byte[] name, byte[] suffix) {
    int offset = name.length - suffix.length;
    if (offset < 0) {
      return false;
    }
    int at = 0;
    while (at < offset) {
      at += 1 + (name[at] & 0xFF);
    }
    return at == offset && java.util.Arrays.equals(name, offset, name.length, suffix, 0, suffix.length);
  }

  /** The topmost delegation point at or above {@code name} (below the apex), or null. */
  private static WireName cutAbove(WireName name, WireName apex, Set<WireName> cuts) {
    WireName found = null;
    for (WireName n = name; !n.equals(apex) && n.length() > 1; n = n.parent()) {
      if (cuts.contains(n)) {
        found = n;
      }
    }
    return found;
  }

  private static WireName wildcardOf(WireName name) {
    byte[] w = name.wire();
    byte[] out = new byte[w.length + 2];
    out[0] = 1;
    out[1] = '*';
    System.arraycopy(w, 0, out, 2, w.length);
    return new WireName(out);
  }

  private static boolean isWildcard(WireName name) {
    byte[] w = name.wire();
    return w[0] == 1 && w[1] == '*';
  }

  private Node authoritative(Zone zone, WireName name, Map<Integer, List<ZoneRecord>> records,
      Map<WireName, Map<Integer, List<ZoneRecord>>> byName, Set<WireName> names, Set<WireName> cuts,
      Set<WireName> dynamicHere, Chunk nodata, Chunk nxdomain) throws ZoneException {
    // a wildcard's answers are for names below its parent: only the parent's suffixes are known to be in the question
    WireName base = isWildcard(name) ? name.parent() : name;
    List<ZoneRecord> cname = records.get(RrType.CNAME.code());
    if (cname == null) {
      Map<Integer, Answer> byType = new TreeMap<>();
      records.forEach((type, rrset) -> {
        ChunkCompiler c = ChunkCompiler.below(base);
        addRrset(c, Section.ANSWER, ChunkCompiler.QNAME, rrset);
        byType.put(type, Answer.fixed(c.build(true, Rcode.NOERROR)));
      });
      if (dynamicHere.contains(name)) {
        for (RrType t : new RrType[] {RrType.A, RrType.AAAA}) {
          byType.put(t.code(), dynamic.bind(name, t.code(), (addresses, ttl) -> {
            if (addresses.isEmpty()) {
              return nodata;
            }
            ChunkCompiler d = ChunkCompiler.below(base);
            addAddresses(d, ChunkCompiler.QNAME, t, addresses, ttl);
            return d.build(true, Rcode.NOERROR);
          }));
        }
      }
      int[] types = byType.keySet().stream().mapToInt(Integer::intValue).toArray();
      Answer[] answers = byType.values().toArray(new Answer[0]);
      return new Node(Node.Kind.AUTHORITATIVE, types, answers, nodata, anyHinfo, null, nxdomain);
    }
    // follow the chain inside the zone
    List<Record> chain = new ArrayList<>();
    List<WireName> owners = new ArrayList<>();
    Set<WireName> seen = new HashSet<>();
    WireName owner = name;
    Map<Integer, List<ZoneRecord>> data = records;
    Target end;
    while (true) {
      List<ZoneRecord> c = data.get(RrType.CNAME.code());
      if (c == null) {
        end = new Data(owner, data);
        break;
      }
      if (!seen.add(owner) || chain.size() >= MAX_CHAIN - 1) {
        ZoneRecord first = cname.getFirst();
        throw new ZoneException(zone.file() + ":" + first.line() + ": " + name + ": CNAME chain "
            + (chain.size() >= MAX_CHAIN - 1 ? "of " + MAX_CHAIN + " or more" : "loops back to " + owner)
            + " (expected: a chain of fewer than " + MAX_CHAIN + " CNAMEs that ends)");
      }
      chain.add(c.getFirst().record());
      owners.add(owner);
      WireName target = wire(((CNAMERecord) c.getFirst().record()).getTarget());
      Target t = resolve(target, zone.origin(), byName, names, cuts);
      if (t instanceof Data d) {
        owner = d.owner();
        data = d.records();
      } else {
        end = t;
        break;
      }
    }
    Chunk cnameOnly = chainChunk(base, chain.subList(0, 1), owners, null, null, Rcode.NOERROR);
    Chunk otherwise = switch (end) {
      case Data d -> chainChunk(base, chain, owners, null, zone, Rcode.NOERROR);
      case Missing m -> chainChunk(base, chain, owners, null, zone, Rcode.NXDOMAIN);
      case Elsewhere e -> chainChunk(base, chain, owners, null, null, Rcode.NOERROR);
    };
    List<Integer> types = new ArrayList<>();
    List<Answer> answers = new ArrayList<>();
    if (end instanceof Data d) {
      for (Map.Entry<Integer, List<ZoneRecord>> e : d.records().entrySet()) {
        if (e.getKey() != RrType.CNAME.code()) {
          types.add(e.getKey());
          answers.add(Answer.fixed(chainChunk(base, chain, owners, d, null, Rcode.NOERROR, e.getValue())));
        }
      }
      if (dynamicHere.contains(d.owner())) { // the chain ends at a dynamic name
        for (RrType t : new RrType[] {RrType.A, RrType.AAAA}) {
          types.add(t.code());
          answers.add(dynamic.bind(d.owner(), t.code(), (addresses, ttl) -> {
            if (addresses.isEmpty()) {
              return otherwise;
            }
            ChunkCompiler c = chainCompiler(base, chain, owners);
            addAddresses(c, d.owner(), t, addresses, ttl);
            return c.build(true, Rcode.NOERROR);
          }));
        }
      }
    }
    types.add(RrType.CNAME.code());
    answers.add(Answer.fixed(cnameOnly));
    int[] order = java.util.stream.IntStream.range(0, types.size()).boxed()
        .sorted(java.util.Comparator.comparing(types::get)).mapToInt(Integer::intValue).toArray();
    int[] sortedTypes = new int[order.length];
    Answer[] sortedAnswers = new Answer[order.length];
    for (int i = 0; i < order.length; i++) {
      sortedTypes[i] = types.get(order[i]);
      sortedAnswers[i] = answers.get(order[i]);
    }
    return new Node(Node.Kind.AUTHORITATIVE, sortedTypes, sortedAnswers, otherwise, cnameOnly, null, nxdomain);
  }

  private Chunk chainChunk(WireName base, List<Record> chain, List<WireName> owners, Data end, Zone soaOf,
      Rcode rcode) {
    return chainChunk(base, chain, owners, end, soaOf, rcode, null);
  }

  /** The CNAMEs of a chain, then the last name's RRset (if any), then the SOA (if {@code soaOf}). */
  private Chunk chainChunk(WireName base, List<Record> chain, List<WireName> owners, Data end, Zone soaOf,
      Rcode rcode, List<ZoneRecord> finalRrset) {
    ChunkCompiler c = chainCompiler(base, chain, owners);
    if (finalRrset != null) {
      addRrset(c, Section.ANSWER, end.owner(), finalRrset);
    }
    if (soaOf != null) {
      addSoa(c, soaOf);
    }
    return c.build(true, rcode);
  }

  /** A compiler holding the CNAMEs of a chain. */
  private static ChunkCompiler chainCompiler(WireName base, List<Record> chain, List<WireName> owners) {
    ChunkCompiler c = ChunkCompiler.below(base);
    for (int i = 0; i < chain.size(); i++) {
      Record r = chain.get(i);
      c.add(Section.ANSWER, i == 0 ? ChunkCompiler.QNAME : owners.get(i), r.getType(), r.getDClass(), r.getTTL(),
          rdata(r));
    }
    return c;
  }

  /** A dynamic address RRset: one TTL for the set (RFC 2181 §5.2), as the resource computed it. */
  private static void addAddresses(ChunkCompiler c, WireName owner, RrType type, List<InetAddress> addresses,
      long ttl) {
    for (InetAddress a : addresses) {
      byte[] rdata = a.getAddress();
      if (rdata.length != (type.equals(RrType.A) ? 4 : 16)) {
        throw new IllegalArgumentException(a + " in a " + type + " RRset");
      }
      c.add(Section.ANSWER, owner, type.code(), RrClass.IN.code(), ttl, rdata);
    }
  }

  private static Target resolve(WireName target, WireName apex, Map<WireName, Map<Integer, List<ZoneRecord>>> byName,
      Set<WireName> names, Set<WireName> cuts) {
    if (!target.isAtOrBelow(apex) || cutAbove(target, apex, cuts) != null) {
      return new Elsewhere();
    }
    if (names.contains(target)) {
      return new Data(target, byName.getOrDefault(target, Map.of()));
    }
    WireName encloser = target.parent();
    while (!names.contains(encloser)) {
      encloser = encloser.parent();
    }
    Map<Integer, List<ZoneRecord>> wild = byName.get(wildcardOf(encloser));
    return wild != null ? new Data(target, wild) : new Missing();
  }

  private static Chunk soaChunk(Zone zone, Rcode rcode) {
    ChunkCompiler c = ChunkCompiler.below(zone.origin());
    addSoa(c, zone);
    return c.build(true, rcode);
  }

  /** The SOA in the authority section of a negative answer, with the negative TTL (RFC 2308 §3). */
  private static void addSoa(ChunkCompiler c, Zone zone) {
    SOARecord soa = zone.soa();
    c.add(Section.AUTHORITY, zone.origin(), soa.getType(), soa.getDClass(), zone.negativeTtl(), rdata(soa));
  }

  private static Chunk referral(WireName cut, Map<WireName, Map<Integer, List<ZoneRecord>>> byName) {
    ChunkCompiler c = ChunkCompiler.below(cut);
    List<ZoneRecord> ns = byName.get(cut).get(RrType.NS.code());
    addRrset(c, Section.AUTHORITY, cut, ns);
    Set<WireName> glued = new LinkedHashSet<>();
    for (ZoneRecord zr : ns) {
      WireName target = wire(((NSRecord) zr.record()).getTarget());
      if (target.isAtOrBelow(cut) && glued.add(target)) {
        Map<Integer, List<ZoneRecord>> glue = byName.getOrDefault(target, Map.of());
        for (int type : new int[] {RrType.A.code(), RrType.AAAA.code()}) {
          if (glue.containsKey(type)) {
            addRrset(c, Section.ADDITIONAL, target, glue.get(type));
          }
        }
      }
    }
    return c.build(false, Rcode.NOERROR);
  }

  /** An RRset, each record with the set's lowest TTL (RFC 2181 §5.2: one TTL per RRset). */
  private static void addRrset(ChunkCompiler c, Section section, WireName owner, List<ZoneRecord> rrset) {
    long ttl = rrset.stream().mapToLong(zr -> zr.record().getTTL()).min().orElseThrow();
    for (ZoneRecord zr : rrset) {
      Record r = zr.record();
      c.add(section, owner, r.getType(), r.getDClass(), ttl, rdata(r));
    }
  }

  /** The rdata, with the names RFC 1035 lets be compressed marked so (RFC 3597 §4: no others). */
  static List<RdataPart> rdata(Record r) {
    return switch (r) {
      case NSRecord ns -> List.of(name(ns.getTarget()));
      case CNAMERecord cn -> List.of(name(cn.getTarget()));
      case PTRRecord ptr -> List.of(name(ptr.getTarget()));
      case MXRecord mx -> List.of(new ChunkCompiler.Bytes(new byte[] {(byte) (mx.getPriority() >>> 8),
          (byte) mx.getPriority()}), name(mx.getTarget()));
      case SOARecord soa -> {
        byte[] numbers = new byte[20];
        long[] values = {soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()};
        for (int i = 0; i < values.length; i++) {
          for (int b = 0; b < 4; b++) {
            numbers[i * 4 + b] = (byte) (values[i] >>> (24 - 8 * b));
          }
        }
        yield List.of(name(soa.getHost()), name(soa.getAdmin()), new ChunkCompiler.Bytes(numbers));
      }
      default -> {
        byte[] wire = r.toWire(org.xbill.DNS.Section.ANSWER);
        yield List.of(new ChunkCompiler.Bytes(java.util.Arrays.copyOfRange(wire, r.getName().length() + 10,
            wire.length)));
      }
    };
  }

  private static ChunkCompiler.Name name(Name n) {
    return new ChunkCompiler.Name(wire(n), true);
  }
}
