package org.example.lb.dns.answer;

import java.util.random.RandomGenerator;
import org.example.lb.dns.wire.Chunk;

/**
 * Where the records for one name and type come from, asked once per query: the extension point for dynamic answers.
 *
 * <p>A zone file's RRset is {@link #fixed}: one chunk compiled at load time. A dynamic RRset (the health-driven
 * address records of gdnsd's multifo, simplefo and weighted plugins, in {@code org.example.lb.dns.resource}) returns
 * chunks that are precompiled too, whenever the health of its resource changes, and picks the one to send: a volatile
 * read, and for weighted resources a draw from the worker's random generator and an array index. No allocation, no
 * lock (see docs/dns.md, "Dynamic answers").
 */
@FunctionalInterface
public interface Answer {
  /**
   * The chunk to send now; called on the query path, so it must not block, allocate or throw.
   *
   * @param random the answering worker's own generator (weighted choices); never shared between threads
   */
  Chunk chunk(RandomGenerator random);

  /** An answer that never changes. */
  static Answer fixed(Chunk chunk) {
    return new FixedAnswer(chunk);
  }
}

record FixedAnswer(Chunk chunk) implements Answer {
  @Override
  public Chunk chunk(RandomGenerator random) {
    return chunk;
  }
}
