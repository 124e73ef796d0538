package org.example.lb.dns.resource;

import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.example.lb.dns.wire.Chunk;

/**
 * The chunks one bound name answers with in one state, compiled when the state changed: what the query path reads
 * through one volatile field. Choosing allocates nothing.
 */
abstract sealed class Published permits Published.One, Published.OneOf, Published.EachOf {
  /** Counts the answers sent from this version (the resource's counter for its state). */
  final LongAdder answers;

  Published(LongAdder answers) {
    this.answers = answers;
  }

  /** The chunk for one query. */
  abstract Chunk pick(RandomGenerator random);

  /** Always the same chunk (multifo, simplefo, or no address of the family). */
  static final class One extends Published {
    private final Chunk chunk;

    One(Chunk chunk, LongAdder answers) {
      super(answers);
      this.chunk = chunk;
    }

    @Override
    Chunk pick(RandomGenerator random) {
      return chunk;
    }
  }

  /** One address with odds weight / sum: one chunk per address of non-zero weight. */
  static final class OneOf extends Published {
    private final Chunk[] chunks;
    /** cumulative[i]: the weights of chunks 0..i summed. */
    private final int[] cumulative;

    OneOf(Chunk[] chunks, int[] cumulative, LongAdder answers) {
      super(answers);
      this.chunks = chunks;
      this.cumulative = cumulative;
    }

    @Override
    Chunk pick(RandomGenerator random) {
      int r = random.nextInt(cumulative[cumulative.length - 1]);
      int i = 0;
      while (r >= cumulative[i]) {
        i++;
      }
      return chunks[i];
    }
  }

  /**
   * Each address with odds weight / largest weight, so at least the heaviest: one chunk per subset of the addresses of
   * non-zero weight, indexed by its bit mask.
   */
  static final class EachOf extends Published {
    private final Chunk[] bySubset;
    private final int[] weights;
    private final int max;

    EachOf(Chunk[] bySubset, int[] weights, int max, LongAdder answers) {
      super(answers);
      this.bySubset = bySubset;
      this.weights = weights;
      this.max = max;
    }

    @Override
    Chunk pick(RandomGenerator random) {
      int mask = 0;
      for (int i = 0; i < weights.length; i++) {
        if (random.nextInt(max) < weights[i]) {
          mask |= 1 << i;
        }
      }
      return bySubset[mask];
    }
  }
}
