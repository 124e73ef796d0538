package org.example.lb.dns.answer;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Turns one query's bytes into the response's bytes: one per worker thread (it owns its {@link org.example.lb.dns.wire.Query}), no allocation,
 * no lock, no logging, and no exception on any input. Every outcome is counted in {@link QueryStats}.
 *
 * <p>The response: the header (id and opcode copied, QR set, RD copied except on NOTIMP, AA from the answer, RA, AD
 * and CD clear), the question copied byte for byte (so 0x20 letter case comes back as sent), the answer's chunk, and
 * an OPT record when the query had one (RFC 6891 §7: payload 1232, the DO bit copied per RFC 3225 §3, NSID when asked
 * and configured, unknown options never echoed). Over UDP the response is at most 512 bytes without EDNS, else the
 * requestor's payload clamped to 512..1232; an answer that does not fit is sent with no records and TC set
 * (RFC 1035 §4.2.1, RFC 2181 §9), for the client to retry over TCP.
 */
public interface Responder {
  /** The largest UDP response (and the payload size we advertise), the DNS flag day 2020 value. */
  int MAX_UDP_PAYLOAD = 1232;
  /** The largest response without EDNS (RFC 1035 §4.2.1). */
  int MIN_UDP_PAYLOAD = 512;
  /** The largest message over TCP (two-byte length prefix, RFC 1035 §4.2.2). */
  int MAX_TCP_MESSAGE = 65535;

  /**
   * A responder for one worker thread.
   *
   * @param table the answers in force, read once per query (the server's atomic reference)
   * @param stats where outcomes are counted
   */
  static Responder create(Supplier<AnswerTable> table, QueryStats stats) {
    return new WireResponder(table, stats, new SplittableRandom());
  }

  /**
   * A responder whose weighted choices draw from {@code random} (tests give a seeded one to get the same choices every
   * run); it must not be shared with another thread.
   */
  static Responder create(Supplier<AnswerTable> table, QueryStats stats, RandomGenerator random) {
    return new WireResponder(table, stats, random);
  }

  /**
   * Answers the query in {@code in[0, length)} into {@code out} (at least 65535 bytes).
   *
   * @param tcp whether it came over TCP (no size limit but the message's)
   * @return the response's length, or -1 when the query is dropped without an answer
   */
  int respond(byte[] in, int length, byte[] out, boolean tcp);
}
