package org.example.lb.dns.wire;

/**
 * The precompiled part of a response after the question: its header bits (AA, rcode), section counts, and the
 * answer, authority and additional records in wire format with names already compressed (RFC 1035 §4.1.4).
 *
 * <p>A chunk does not depend on the length of the question it follows: each compression pointer that cannot be
 * fixed in advance is patched when the chunk is written. A pointer into the chunk itself is relative to the chunk's
 * start; a pointer to a suffix of the question name (the zone apex of an NXDOMAIN answer, a delegation point) is
 * relative to the end of the question name. So one chunk serves every question that ends in the same name, whatever
 * its length and letter case (the question is copied byte for byte; answers point at it).
 *
 * <p>Built by {@link ChunkCompiler}; immutable once built.
 */
public final class Chunk {
  /** Offsets a pointer may reach: 14 bits, less the largest header + question (12 + 255 + 4). */
  static final int MAX_TARGET = 0x3FFF - 12 - 255 - 4;

  private final boolean authoritative;
  private final Rcode rcode;
  private final int answers;
  private final int authority;
  private final int additional;
  private final byte[] bytes;
  private final int[] fixAt;
  private final int[] fixTo;

  Chunk(boolean authoritative, Rcode rcode, int answers, int authority, int additional, byte[] bytes, int[] fixAt,
      int[] fixTo) {
    this.authoritative = authoritative;
    this.rcode = rcode;
    this.answers = answers;
    this.authority = authority;
    this.additional = additional;
    this.bytes = bytes;
    this.fixAt = fixAt;
    this.fixTo = fixTo;
  }

  /** An empty chunk: a response without records (REFUSED, a truncated answer). */
  public static Chunk empty(boolean authoritative, Rcode rcode) {
    return new Chunk(authoritative, rcode, 0, 0, 0, new byte[0], new int[0], new int[0]);
  }

  public boolean authoritative() {
    return authoritative;
  }

  public Rcode rcode() {
    return rcode;
  }

  public int answers() {
    return answers;
  }

  public int authority() {
    return authority;
  }

  public int additional() {
    return additional;
  }

  /** Bytes this chunk adds to a response. */
  public int length() {
    return bytes.length;
  }

  /**
   * Copies the chunk into {@code out} at {@code at}, which must be just past a question whose name is
   * {@code qnameLength} bytes long and starts at offset 12; returns the offset past the chunk. No allocation.
   */
  public int writeTo(byte[] out, int at, int qnameLength) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    int qnameEnd = Query.HEADER + qnameLength;
    for (int i = 0; i < fixAt.length; i++) {
      int to = fixTo[i];
      int target = to >= 0 ? at + to : qnameEnd + to;
      out[at + fixAt[i]] = (byte) (0xC0 | target >>> 8);
      out[at + fixAt[i] + 1] = (byte) target;
    }
    return at + bytes.length;
  }
}
