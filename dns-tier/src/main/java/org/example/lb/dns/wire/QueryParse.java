package org.example.lb.dns.wire;

/** How parsing a query ended; what the server does next depends on it (each outcome is counted). */
public enum QueryParse {
  /** A well-formed query: answer it. */
  OK,
  /** Shorter than a header: no id to answer to; dropped. */
  DROP_SHORT,
  /** QR set: a response, never answered (no reflection loops); dropped. */
  DROP_RESPONSE,
  /** Malformed before the question could be read: FORMERR with the id and an empty question section. */
  FORMERR_NO_QUESTION,
  /** Malformed after the question was read (counts, OPT): FORMERR echoing the question. */
  FORMERR,
  /** An opcode other than QUERY, or a zone transfer: NOTIMP. */
  NOTIMP,
  /** EDNS version other than 0: BADVERS (RFC 6891 §6.1.3). */
  BADVERS
}
