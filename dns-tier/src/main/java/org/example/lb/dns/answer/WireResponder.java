package org.example.lb.dns.answer;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.Query;
import org.example.lb.dns.wire.QueryParse;
import org.example.lb.dns.wire.Rcode;
import org.example.lb.dns.wire.RrClass;

/** The {@link Responder}: parses in place, finds the chunk, writes header, question, chunk and OPT. */
final class WireResponder implements Responder {
  private static final int QR = 0x8000;
  private static final int AA = 0x0400;
  private static final int TC = 0x0200;
  private static final int RD = 0x0100;

  private final Query query = new Query();
  private final Supplier<AnswerTable> table;
  private final QueryStats stats;
  private final RandomGenerator random;

  WireResponder(Supplier<AnswerTable> table, QueryStats stats, RandomGenerator random) {
    this.table = table;
    this.stats = stats;
    this.random = random;
  }

  @Override
  public int respond(byte[] in, int length, byte[] out, boolean tcp) {
    Query q = query;
    QueryParse parse = q.parse(in, length);
    AnswerTable t = table.get();
    switch (parse) {
      case DROP_SHORT -> {
        stats.increment(Stat.DROPPED_SHORT);
        return -1;
      }
      case DROP_RESPONSE -> {
        stats.increment(Stat.DROPPED_RESPONSE);
        return -1;
      }
      case FORMERR_NO_QUESTION -> {
        stats.increment(Stat.FORMERR);
        header(out, q, Rcode.FORMERR.headerBits(), true, 0, 0, 0, 0);
        return Query.HEADER;
      }
      default -> {
        // a question to echo
      }
    }
    if (q.edns()) {
      stats.increment(Stat.EDNS);
      if (q.dnssecOk()) {
        stats.increment(Stat.EDNS_DO);
      }
      if (q.nsidRequested()) {
        stats.increment(Stat.NSID);
      }
      if (!tcp && q.ednsPayload() > MIN_UDP_PAYLOAD) {
        stats.increment(Stat.UDP_EDNS_BIG);
      }
    }
    Chunk chunk;
    Rcode rcode;
    boolean keepRd = true;
    switch (parse) {
      case FORMERR -> {
        chunk = null;
        rcode = Rcode.FORMERR;
      }
      case NOTIMP -> {
        chunk = null;
        rcode = Rcode.NOTIMP;
        keepRd = false;
      }
      case BADVERS -> {
        chunk = null;
        rcode = Rcode.BADVERS;
      }
      default -> {
        int qclass = q.qclass();
        chunk = qclass == RrClass.IN.code() || qclass == RrClass.ANY.code() ? t.answer(q, random)
            : qclass == RrClass.CH.code() ? t.chaos(q) : AnswerTable.refused();
        rcode = chunk.rcode();
      }
    }
    count(rcode);
    int questionEnd = q.questionEnd();
    System.arraycopy(in, Query.HEADER, out, Query.HEADER, questionEnd - Query.HEADER);
    byte[] nsid = q.edns() && q.nsidRequested() ? t.nsid() : null;
    int optLength = q.edns() ? 11 + (nsid != null ? 4 + nsid.length : 0) : 0;
    int max = tcp ? MAX_TCP_MESSAGE
        : !q.edns() ? MIN_UDP_PAYLOAD : Math.min(MAX_UDP_PAYLOAD, Math.max(MIN_UDP_PAYLOAD, q.ednsPayload()));
    int at = questionEnd;
    boolean aa = chunk != null && chunk.authoritative();
    boolean truncated = false;
    int an = 0;
    int ns = 0;
    int ar = 0;
    if (chunk != null) {
      if (questionEnd + chunk.length() + optLength > max) {
        truncated = true;
        if (!tcp) {
          stats.increment(Stat.UDP_TC);
        }
      } else {
        at = chunk.writeTo(out, at, q.qnameLength());
        an = chunk.answers();
        ns = chunk.authority();
        ar = chunk.additional();
      }
    }
    if (q.edns()) {
      at = opt(out, at, rcode, q.dnssecOk(), nsid);
      ar++;
    }
    int flags = QR | q.opcode() << 11 | (aa ? AA : 0) | (truncated ? TC : 0)
        | (keepRd && q.recursionDesired() ? RD : 0) | rcode.headerBits();
    header(out, q, flags, false, 1, an, ns, ar);
    return at;
  }

  private void count(Rcode rcode) {
    switch (rcode.code()) {
      case 0 -> stats.increment(Stat.NOERROR);
      case 1 -> stats.increment(Stat.FORMERR);
      case 3 -> stats.increment(Stat.NXDOMAIN);
      case 4 -> stats.increment(Stat.NOTIMP);
      case 5 -> stats.increment(Stat.REFUSED);
      case 16 -> stats.increment(Stat.BADVERS);
      default -> {
        // no other rcode is produced
      }
    }
  }

  /**
   * Writes the header; with {@code bare} the flags are FORMERR's from the query alone (QR, opcode, RD kept).
   */
  private static void header(byte[] out, Query q, int flagsOrRcode, boolean bare, int qd, int an, int ns, int ar) {
    int flags = bare ? QR | q.opcode() << 11 | (q.recursionDesired() ? RD : 0) | flagsOrRcode : flagsOrRcode;
    int id = q.id();
    out[0] = (byte) (id >>> 8);
    out[1] = (byte) id;
    out[2] = (byte) (flags >>> 8);
    out[3] = (byte) flags;
    u16(out, 4, qd);
    u16(out, 6, an);
    u16(out, 8, ns);
    u16(out, 10, ar);
  }

  /** The response's OPT record, RFC 6891 §6.1.2-6.1.3; NSID option per RFC 5001 §2.3. */
  private static int opt(byte[] out, int at, Rcode rcode, boolean dnssecOk, byte[] nsid) {
    out[at++] = 0; // root
    u16(out, at, 41);
    u16(out, at + 2, MAX_UDP_PAYLOAD);
    out[at + 4] = (byte) rcode.extendedBits();
    out[at + 5] = 0; // version 0
    out[at + 6] = (byte) (dnssecOk ? 0x80 : 0);
    out[at + 7] = 0;
    int rdlength = nsid != null ? 4 + nsid.length : 0;
    u16(out, at + 8, rdlength);
    at += 10;
    if (nsid != null) {
      u16(out, at, 3);
      u16(out, at + 2, nsid.length);
      System.arraycopy(nsid, 0, out, at + 4, nsid.length);
      at += 4 + nsid.length;
    }
    return at;
  }

  private static void u16(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 8);
    out[at + 1] = (byte) v;
  }
}
