package org.example.lb.dns.answer;

import org.example.lb.dns.wire.Chunk;

/**
 * Where the records for one name and type come from, asked once per query: the extension point for dynamic answers.
 *
 * <p>A zone file's RRset is {@link #fixed}: one chunk compiled at load time. A dynamic RRset (the health-driven
 * address records of gdnsd's multifo/simplefo/weighted plugins, to come) implements this interface over chunks that
 * are precompiled too, one per health state combination, and returns the one the current health snapshot selects:
 * a volatile read and an array index, no allocation, no lock (see docs/dns.md, "Dynamic answers").
 */
@FunctionalInterface
public interface Answer {
  /** The chunk to send now; called on the query path, so it must not block, allocate or throw. */
  Chunk chunk();

  /** An answer that never changes. */
  static Answer fixed(Chunk chunk) {
    return new FixedAnswer(chunk);
  }
}

record FixedAnswer(Chunk chunk) implements Answer {}
