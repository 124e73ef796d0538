package org.example.lb.l4.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The flow-sync datagram (UDP, one per batch; version 1), big-endian:
 *
 * <pre>
 *   0  magic 'L' 'F'   2  version (1)   3  record count (1..255)
 *   then per record:
 *   0  protocol (6 = TCP)   1  name length n (1..64)   2  source port   4  destination port
 *   6  source address (16 bytes; IPv4 as ::ffff:a.b.c.d)   22  destination address (16)   38  backend name (n, UTF-8)
 * </pre>
 *
 * The backend is named, not numbered: each director maps the name to its own slot. A datagram is checked whole
 * before any record is used: a bad one is dropped as a unit.
 */
final class SyncDatagram {
  static final int MAGIC = 0x4c46;
  static final int VERSION = 1;
  static final int HEADER = 4;
  static final int RECORD_FIXED = 38;
  static final int MAX_NAME = 64;
  /** Below the IPv6 minimum MTU minus headers, so a datagram is never fragmented. */
  static final int MAX_LENGTH = 1200;
  static final int MAX_RECORDS = 255;

  private SyncDatagram() {}

  /** Writes records into one datagram buffer. */
  static final class Writer {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(MAX_LENGTH);
    private int count;

    Writer() {
      reset();
    }

    void reset() {
      buf.clear();
      buf.putShort((short) MAGIC).put((byte) VERSION).put((byte) 0);
      count = 0;
    }

    /** Whether a record naming {@code name} (its UTF-8 bytes) still fits. */
    boolean fits(byte[] name) {
      return count < MAX_RECORDS && buf.remaining() >= RECORD_FIXED + name.length;
    }

    void add(long srcHi, long srcLo, long dstHi, long dstLo, int portPair, int protocol, byte[] name) {
      buf.put((byte) protocol).put((byte) name.length).putInt(portPair);
      buf.putLong(srcHi).putLong(srcLo).putLong(dstHi).putLong(dstLo).put(name);
      count++;
    }

    int count() {
      return count;
    }

    /** The datagram, ready to send (position 0, limit its length); valid until {@link #reset()}. */
    ByteBuffer finish() {
      buf.put(3, (byte) count);
      return buf.flip();
    }
  }

  /** Receives each record of a valid datagram. */
  interface Sink {
    void flow(long srcHi, long srcLo, long dstHi, long dstLo, int portPair, int protocol, String backend);
  }

  /**
   * Checks the datagram in {@code buf} (position..limit) and hands each record to {@code sink}.
   *
   * @return null when it was valid, else what was wrong (nothing was handed on)
   */
  static String read(ByteBuffer buf, Sink sink) {
    String problem = check(buf.duplicate());
    if (problem != null) {
      return problem;
    }
    int p = buf.position() + 3;
    int count = buf.get(p++) & 0xff;
    for (int r = 0; r < count; r++) {
      int protocol = buf.get(p) & 0xff;
      int n = buf.get(p + 1) & 0xff;
      int portPair = buf.getInt(p + 2);
      long sHi = buf.getLong(p + 6);
      long sLo = buf.getLong(p + 14);
      long dHi = buf.getLong(p + 22);
      long dLo = buf.getLong(p + 30);
      byte[] name = new byte[n];
      buf.get(p + RECORD_FIXED, name);
      sink.flow(sHi, sLo, dHi, dLo, portPair, protocol, new String(name, StandardCharsets.UTF_8));
      p += RECORD_FIXED + n;
    }
    return null;
  }

  private static String check(ByteBuffer buf) {
    if (buf.remaining() < HEADER) {
      return "a datagram of " + buf.remaining() + " bytes (expected: at least " + HEADER + ")";
    }
    int magic = buf.getShort() & 0xffff;
    if (magic != MAGIC) {
      return String.format("magic 0x%04x (expected: 0x%04x)", magic, MAGIC);
    }
    int version = buf.get() & 0xff;
    if (version != VERSION) {
      return "version " + version + " (expected: " + VERSION + ")";
    }
    int count = buf.get() & 0xff;
    if (count == 0) {
      return "0 records (expected: 1.." + MAX_RECORDS + ")";
    }
    for (int r = 0; r < count; r++) {
      if (buf.remaining() < RECORD_FIXED) {
        return "record " + r + " cut short at " + buf.remaining() + " bytes (expected: " + count + " records)";
      }
      int p = buf.position();
      int protocol = buf.get(p) & 0xff;
      int n = buf.get(p + 1) & 0xff;
      if (protocol != 6) {
        return "record " + r + ": protocol " + protocol + " (expected: 6, TCP)";
      }
      if (n == 0 || n > MAX_NAME) {
        return "record " + r + ": backend name of " + n + " bytes (expected: 1.." + MAX_NAME + ")";
      }
      if (buf.remaining() < RECORD_FIXED + n) {
        return "record " + r + " cut short in its backend name";
      }
      buf.position(p + RECORD_FIXED + n);
    }
    if (buf.hasRemaining()) {
      return buf.remaining() + " bytes after " + count + " records (expected: none)";
    }
    return null;
  }
}
