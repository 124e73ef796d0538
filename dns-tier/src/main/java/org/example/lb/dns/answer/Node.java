package org.example.lb.dns.answer;

import java.util.random.RandomGenerator;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.RrType;

/**
 * One name of a compiled zone: its answers by type, or the referral that replaces them at and below a zone cut.
 * Immutable; shared by every worker.
 */
final class Node {
  /** What the server is for this name. */
  enum Kind {
    /** Authoritative data (the apex, an ordinary name, an empty non-terminal). */
    AUTHORITATIVE,
    /** A delegation point or a name below one: every query gets the referral (RFC 1034 §4.3.2 step 3b). */
    REFERRAL
  }

  final Kind kind;
  /** Types present, ascending; {@link #answers} in the same order. */
  final int[] types;
  final Answer[] answers;
  /** For a type not present: NODATA (NOERROR, the SOA), or the end of a CNAME chain. */
  final Chunk otherwise;
  /** For ANY (RFC 8482 §4): one RRset, or the synthesized HINFO. */
  final Chunk any;
  /** The referral of the delegation at or above this name ({@link Kind#REFERRAL} only). */
  final Chunk referral;
  /** The answers of names below this one that do not exist, if this node has a {@code *} child (RFC 4592). */
  Node wildcard;
  /** The NXDOMAIN answer of this node's zone. */
  final Chunk nxdomain;

  Node(Kind kind, int[] types, Answer[] answers, Chunk otherwise, Chunk any, Chunk referral, Chunk nxdomain) {
    this.kind = kind;
    this.types = types;
    this.answers = answers;
    this.otherwise = otherwise;
    this.any = any;
    this.referral = referral;
    this.nxdomain = nxdomain;
  }

  /** The chunk for a query of {@code qtype} at exactly this name ({@code random}: the worker's, for dynamic answers). */
  Chunk answer(int qtype, RandomGenerator random) {
    if (kind == Kind.REFERRAL) {
      return referral;
    }
    if (qtype == RrType.ANY.code()) {
      return any;
    }
    int[] t = types;
    for (int i = 0; i < t.length; i++) { // a handful of types per name: a scan beats a search
      if (t[i] == qtype) {
        return answers[i].chunk(random);
      }
    }
    return otherwise;
  }
}
