package org.example.lb.dns.wire;

/**
 * One worker's view of the query it is answering: parsed in place from the received bytes, reused for every query
 * (no allocation). Never throws on any input: malformed queries end in a {@link QueryParse} outcome.
 *
 * <p>Accepted: exactly one question (RFC 1035 §4.1.2) whose name is uncompressed (a pointer in a question has nothing
 * to point back to), no answer or authority records, and in the additional section at most one OPT record
 * (RFC 6891 §6.1.1); other additional records (TSIG, ...) are skipped. Bytes after the last record are ignored.
 */
public final class Query {
  public static final int HEADER = 12;
  static final int QR = 0x8000;
  static final int RD = 0x0100;

  private byte[] packet;
  private int length;
  private int id;
  private int flags;
  private int qnameLength;
  private int questionEnd;
  private final byte[] lowerName = new byte[255];
  private final int[] labelStarts = new int[128];
  private int labelCount;
  private int qtype;
  private int qclass;
  private boolean edns;
  private int ednsPayload;
  private int ednsVersion;
  private boolean dnssecOk;
  private boolean nsidRequested;

  /** Parses {@code length} bytes of {@code packet}; the packet must stay unchanged while this query is used. */
  public QueryParse parse(byte[] packet, int length) {
    this.packet = packet;
    this.length = length;
    questionEnd = 0;
    qnameLength = 0;
    labelCount = 0;
    edns = false;
    ednsPayload = 0;
    ednsVersion = 0;
    dnssecOk = false;
    nsidRequested = false;
    if (length < HEADER) {
      return QueryParse.DROP_SHORT;
    }
    id = u16(0);
    flags = u16(2);
    if ((flags & QR) != 0) {
      return QueryParse.DROP_RESPONSE;
    }
    int qdcount = u16(4);
    if (qdcount == 0 || !parseQuestion()) {
      return QueryParse.FORMERR_NO_QUESTION;
    }
    if (qdcount != 1 || u16(6) != 0 || u16(8) != 0) {
      return QueryParse.FORMERR;
    }
    if (!parseAdditional(u16(10))) {
      return QueryParse.FORMERR;
    }
    if (opcode() != 0 || qtype == RrType.AXFR.code() || qtype == RrType.IXFR.code()) {
      return QueryParse.NOTIMP;
    }
    if (edns && ednsVersion != 0) {
      return QueryParse.BADVERS;
    }
    return QueryParse.OK;
  }

  private int u16(int at) {
    return (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
  }

  /** RFC 1035 §4.1.2; names are at most 255 bytes, labels at most 63 (§2.3.4). */
  private boolean parseQuestion() {
    int pos = HEADER;
    int out = 0;
    while (true) {
      if (pos >= length) {
        return false;
      }
      int len = packet[pos] & 0xFF;
      if (len == 0) {
        lowerName[out++] = 0;
        pos++;
        break;
      }
      if ((len & 0xC0) != 0 || pos + 1 + len >= length || out + 1 + len >= 255) {
        return false; // a pointer or extended label type, or running past the packet or 255 bytes
      }
      labelStarts[labelCount++] = out;
      lowerName[out++] = (byte) len;
      for (int i = 1; i <= len; i++) {
        byte b = packet[pos + i];
        lowerName[out++] = b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
      }
      pos += 1 + len;
    }
    qnameLength = out;
    if (pos + 4 > length) {
      return false;
    }
    qtype = u16(pos);
    qclass = u16(pos + 2);
    questionEnd = pos + 4;
    return true;
  }

  /** Walks the additional section; false when it is malformed (truncated record, two OPTs, bad options). */
  private boolean parseAdditional(int arcount) {
    int pos = questionEnd;
    boolean seenOpt = false;
    for (int r = 0; r < arcount; r++) {
      int nameStart = pos;
      while (true) { // skip the owner name without following pointers
        if (pos >= length) {
          return false;
        }
        int len = packet[pos] & 0xFF;
        if (len == 0) {
          pos++;
          break;
        }
        if ((len & 0xC0) == 0xC0) {
          pos += 2;
          break;
        }
        if ((len & 0xC0) != 0) {
          return false;
        }
        pos += 1 + len;
      }
      if (pos + 10 > length) {
        return false;
      }
      int type = u16(pos);
      int rdlength = u16(pos + 8);
      int rdata = pos + 10;
      if (rdata + rdlength > length) {
        return false;
      }
      if (type == RrType.OPT.code() && pos == nameStart + 1 && packet[nameStart] == 0) {
        if (seenOpt) {
          return false; // RFC 6891 §6.1.1: more than one OPT is FORMERR
        }
        seenOpt = true;
        edns = true;
        ednsPayload = u16(pos + 2);
        ednsVersion = packet[pos + 5] & 0xFF;
        dnssecOk = (packet[pos + 6] & 0x80) != 0;
        if (!parseOptions(rdata, rdlength)) {
          return false;
        }
      }
      // an OPT not owned by the root is not an OPT (RFC 6891 §6.1.2): ignored like any other record
      pos = rdata + rdlength;
    }
    return true;
  }

  /** RFC 6891 §6.1.2: {code, length, data}*; unknown options are ignored (and never echoed). */
  private boolean parseOptions(int at, int rdlength) {
    int end = at + rdlength;
    while (at < end) {
      if (at + 4 > end) {
        return false;
      }
      int code = u16(at);
      int len = u16(at + 2);
      if (at + 4 + len > end) {
        return false;
      }
      if (code == 3) { // NSID, RFC 5001 §2.1: the request's option is empty
        nsidRequested = true;
      }
      at += 4 + len;
    }
    return true;
  }

  /** The query id (valid unless the parse ended in {@link QueryParse#DROP_SHORT}). */
  public int id() {
    return id;
  }

  public int opcode() {
    return flags >>> 11 & 0xF;
  }

  public boolean recursionDesired() {
    return (flags & RD) != 0;
  }

  /** The received packet. */
  public byte[] packet() {
    return packet;
  }

  /** Whether the question was read ({@link #questionEnd} is then valid). */
  public boolean hasQuestion() {
    return questionEnd > 0;
  }

  /** Offset just past the question (name, type, class) in the packet. */
  public int questionEnd() {
    return questionEnd;
  }

  /** The question name's wire length, terminal zero included. */
  public int qnameLength() {
    return qnameLength;
  }

  /** The question name in wire format, lower-cased (ASCII letters only); {@link #qnameLength} bytes are valid. */
  public byte[] lowerName() {
    return lowerName;
  }

  /** Offsets of each label's length byte in {@link #lowerName}, from the leftmost label. */
  public int labelStart(int label) {
    return labelStarts[label];
  }

  /** Labels of the question name, the root excluded. */
  public int labelCount() {
    return labelCount;
  }

  public int qtype() {
    return qtype;
  }

  public int qclass() {
    return qclass;
  }

  /** Whether the query had an OPT record (RFC 6891). */
  public boolean edns() {
    return edns;
  }

  /** The requestor's UDP payload size from its OPT record. */
  public int ednsPayload() {
    return ednsPayload;
  }

  public int ednsVersion() {
    return ednsVersion;
  }

  /** The DO bit (RFC 3225 §3: copied into the response). */
  public boolean dnssecOk() {
    return dnssecOk;
  }

  /** Whether the OPT record carried an NSID option (RFC 5001 §2.1). */
  public boolean nsidRequested() {
    return nsidRequested;
  }
}
