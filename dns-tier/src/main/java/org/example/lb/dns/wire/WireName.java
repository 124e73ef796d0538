package org.example.lb.dns.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A domain name in uncompressed wire format (RFC 1035 §3.1), as written in the zone (case kept). Used when answers
 * are compiled, never per query.
 *
 * @param wire length-prefixed labels ending with the root's zero byte
 */
public record WireName(byte[] wire) {
  public static final WireName ROOT = new WireName(new byte[] {0});

  public WireName {
    wire = wire.clone();
  }

  /** Parses a presentation-format name without escapes ({@code www.example.com.}); for tests and fixed names. */
  public static WireName of(String dotted) {
    String s = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
    if (s.isEmpty()) {
      return ROOT;
    }
    byte[] out = new byte[s.length() + 2];
    int at = 0;
    for (String label : s.split("\\.", -1)) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      if (bytes.length == 0 || bytes.length > 63) {
        throw new IllegalArgumentException("name " + dotted + " (expected: labels of 1..63 characters)");
      }
      out[at++] = (byte) bytes.length;
      System.arraycopy(bytes, 0, out, at, bytes.length);
      at += bytes.length;
    }
    out[at] = 0;
    return new WireName(out);
  }

  @Override
  public byte[] wire() {
    return wire.clone();
  }

  /** The wire length, terminal zero included. */
  public int length() {
    return wire.length;
  }

  /** Offsets of each label's length byte, leftmost first (the root's zero byte excluded). */
  public int[] labelOffsets() {
    int n = 0;
    for (int at = 0; wire[at] != 0; at += 1 + (wire[at] & 0xFF)) {
      n++;
    }
    int[] offsets = new int[n];
    int i = 0;
    for (int at = 0; wire[at] != 0; at += 1 + (wire[at] & 0xFF)) {
      offsets[i++] = at;
    }
    return offsets;
  }

  /** The lower-cased wire bytes from {@code offset} on (a suffix of this name): the key of name tables. */
  public byte[] lowerSuffix(int offset) {
    byte[] out = Arrays.copyOfRange(wire, offset, wire.length);
    for (int i = 0; i < out.length; i++) {
      if (out[i] >= 'A' && out[i] <= 'Z') {
        out[i] |= 0x20;
      }
    }
    return out;
  }

  /** This name lower-cased. */
  public byte[] lower() {
    return lowerSuffix(0);
  }

  /** The name without its leftmost label; the root's parent is the root. */
  public WireName parent() {
    return wire[0] == 0 ? this : new WireName(Arrays.copyOfRange(wire, 1 + (wire[0] & 0xFF), wire.length));
  }

  /** Whether this name equals {@code other} or lies below it (case-insensitive). */
  public boolean isAtOrBelow(WireName other) {
    int offset = wire.length - other.wire.length;
    if (offset < 0) {
      return false;
    }
    int at = 0;
    while (at < offset) {
      at += 1 + (wire[at] & 0xFF);
    }
    return at == offset && Arrays.equals(lowerSuffix(offset), other.lower());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WireName n && Arrays.equals(lower(), n.lower());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(lower());
  }

  /** Presentation format, {@code www.example.com.} (non-printable bytes as {@code \DDD}). */
  @Override
  public String toString() {
    if (wire[0] == 0) {
      return ".";
    }
    StringBuilder sb = new StringBuilder();
    for (int at = 0; wire[at] != 0; at += 1 + (wire[at] & 0xFF)) {
      for (int i = 1; i <= (wire[at] & 0xFF); i++) {
        int c = wire[at + i] & 0xFF;
        if (c == '.' || c == '\\') {
          sb.append('\\').append((char) c);
        } else if (c <= 32 || c >= 127) {
          sb.append(String.format("\\%03d", c));
        } else {
          sb.append((char) c);
        }
      }
      sb.append('.');
    }
    return sb.toString();
  }
}
