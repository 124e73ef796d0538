package org.example.lb.dns.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles records into a {@link Chunk}, compressing names (RFC 1035 §4.1.4) against each other and against the
 * question name. Used when a zone is loaded, never per query.
 *
 * <p>The compiler knows the question only as "a name at or below {@code questionBase}": every suffix of the base is
 * a suffix of the question name, so names ending in it point into the question. An owner given as {@link #QNAME}
 * is the question name itself (a pointer to offset 12): the owner of an answer, of a wildcard's synthesized record
 * (RFC 4592 §3.3.1) and of the first record of a CNAME chain.
 *
 * <p>Records go in section order: answers, then authority, then additional.
 */
public final class ChunkCompiler {
  /** The question name, whatever it is. */
  public static final WireName QNAME = new WireName(new byte[] {0});

  /** A part of some rdata: fixed bytes, or a name that may be compressed. */
  public sealed interface RdataPart permits Bytes, Name {}

  /** Literal rdata bytes. */
  public record Bytes(byte[] bytes) implements RdataPart {
    public Bytes {
      bytes = bytes.clone();
    }
  }

  /**
   * A domain name inside rdata; {@code compress} only for the types of RFC 1035 (NS, CNAME, SOA, PTR, MX, ...),
   * never for later ones (RFC 3597 §4).
   */
  public record Name(WireName name, boolean compress) implements RdataPart {}

  public enum Section { ANSWER, AUTHORITY, ADDITIONAL }

  private final Output out = new Output();
  private final List<Integer> fixAt = new ArrayList<>();
  private final List<Integer> fixTo = new ArrayList<>();
  /** Lower-cased name suffix → where it can be pointed at (≥ 0 in the chunk; < 0 from the question name's end). */
  private final Map<String, Integer> targets = new HashMap<>();
  private final int[] counts = new int[3];
  private Section section = Section.ANSWER;

  private ChunkCompiler(WireName questionBase) {
    int[] labels = questionBase.labelOffsets();
    for (int offset : labels) {
      targets.put(key(questionBase, offset), -(questionBase.length() - offset));
    }
  }

  /** A compiler for responses to questions at or below {@code questionBase}. */
  public static ChunkCompiler below(WireName questionBase) {
    return new ChunkCompiler(questionBase);
  }

  private static String key(WireName name, int offset) {
    return new String(name.lowerSuffix(offset), StandardCharsets.ISO_8859_1);
  }

  /** Adds one record; {@code owner} may be {@link #QNAME}. */
  public ChunkCompiler add(Section in, WireName owner, int type, int rclass, long ttl, List<RdataPart> rdata) {
    if (in.ordinal() < section.ordinal()) {
      throw new IllegalStateException("records must be added in section order: " + in + " after " + section);
    }
    section = in;
    counts[in.ordinal()]++;
    if (owner == QNAME) {
      out.write(0xC0);
      out.write(Query.HEADER);
    } else {
      writeName(owner, true);
    }
    u16(type);
    u16(rclass);
    u16((int) (ttl >>> 16));
    u16((int) ttl);
    int lengthAt = out.size();
    u16(0);
    for (RdataPart part : rdata) {
      switch (part) {
        case Bytes b -> out.writeBytes(b.bytes());
        case Name n -> writeName(n.name(), n.compress());
      }
    }
    int rdlength = out.size() - lengthAt - 2;
    if (rdlength > 0xFFFF) {
      throw new IllegalArgumentException("rdata of " + rdlength + " bytes (expected: at most 65535)");
    }
    out.set(lengthAt, rdlength >>> 8);
    out.set(lengthAt + 1, rdlength);
    return this;
  }

  /** Adds a record whose rdata has no names. */
  public ChunkCompiler add(Section in, WireName owner, int type, int rclass, long ttl, byte[] rdata) {
    return add(in, owner, type, rclass, ttl, List.of(new Bytes(rdata)));
  }

  private void writeName(WireName name, boolean compress) {
    byte[] wire = name.wire();
    int[] labels = name.labelOffsets();
    for (int i = 0; i < labels.length; i++) {
      int offset = labels[i];
      String key = key(name, offset);
      Integer target = compress ? targets.get(key) : null;
      if (target != null) {
        fixAt.add(out.size());
        fixTo.add(target);
        out.write(0xC0);
        out.write(0);
        return;
      }
      if (compress && out.size() <= Chunk.MAX_TARGET && !targets.containsKey(key)) {
        targets.put(key, out.size());
      }
      out.write(wire, offset, 1 + (wire[offset] & 0xFF));
    }
    out.write(0);
  }

  /** A byte stream whose written bytes can be patched (the rdata length, once the rdata is written). */
  private static final class Output extends ByteArrayOutputStream {
    void set(int at, int value) {
      buf[at] = (byte) value;
    }
  }

  private void u16(int v) {
    out.write(v >>> 8 & 0xFF);
    out.write(v & 0xFF);
  }

  /** The chunk of the records added so far. */
  public Chunk build(boolean authoritative, Rcode rcode) {
    return new Chunk(authoritative, rcode, counts[0], counts[1], counts[2], out.toByteArray(),
        fixAt.stream().mapToInt(Integer::intValue).toArray(), fixTo.stream().mapToInt(Integer::intValue).toArray());
  }
}
