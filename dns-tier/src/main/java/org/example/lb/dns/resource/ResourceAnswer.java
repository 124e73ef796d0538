package org.example.lb.dns.resource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.example.lb.dns.answer.Answer;
import org.example.lb.dns.answer.DynamicRrsets.RrsetCompiler;
import org.example.lb.dns.wire.Chunk;

/**
 * The A or AAAA answer of one bound name (or of a CNAME chain ending there): the {@link Published} chunks of the
 * resource's current selection, replaced whole when the selection changes. Answering is a volatile read, a counter
 * increment and, for weighted resources, a draw.
 */
final class ResourceAnswer implements Answer {
  private final Resource resource;
  private final Binding binding;
  private final int family;
  private final RrsetCompiler compiler;
  private final AnswerCounters counters;
  private volatile Published published;

  ResourceAnswer(Resource resource, Binding binding, int family, RrsetCompiler compiler, AnswerCounters counters,
      Selection initial) {
    this.resource = resource;
    this.binding = binding;
    this.family = family;
    this.compiler = compiler;
    this.counters = counters;
    publish(initial);
  }

  @Override
  public Chunk chunk(RandomGenerator random) {
    Published p = published;
    p.answers.increment();
    return p.pick(random);
  }

  /** Compiles the chunks of {@code selection} (off the query path) and makes them the answer. */
  void publish(Selection selection) {
    long ttl = binding.clamp(selection.health().ttl());
    LongAdder answers = counters.of(resource.name(), selection.state());
    published = switch (selection.family(family)) {
      case Choice.Listed l -> new Published.One(compiler.compile(l.addresses(), ttl), answers);
      case Choice.Weighted w -> weighted(w, ttl, answers);
    };
  }

  private Published weighted(Choice.Weighted w, long ttl, LongAdder answers) {
    List<InetAddress> addresses = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (int i = 0; i < w.addresses().size(); i++) {
      if (w.weights().get(i) > 0) {
        addresses.add(w.addresses().get(i));
        weights.add(w.weights().get(i));
      }
    }
    int n = addresses.size();
    if (!w.multi()) {
      Chunk[] chunks = new Chunk[n];
      int[] cumulative = new int[n];
      int sum = 0;
      for (int i = 0; i < n; i++) {
        chunks[i] = compiler.compile(List.of(addresses.get(i)), ttl);
        sum += weights.get(i);
        cumulative[i] = sum;
      }
      return new Published.OneOf(chunks, cumulative, answers);
    }
    Chunk[] bySubset = new Chunk[1 << n];
    for (int mask = 0; mask < bySubset.length; mask++) {
      List<InetAddress> subset = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((mask & 1 << i) != 0) {
          subset.add(addresses.get(i));
        }
      }
      bySubset[mask] = compiler.compile(subset, ttl); // the empty subset is never drawn
    }
    int[] ws = weights.stream().mapToInt(Integer::intValue).toArray();
    return new Published.EachOf(bySubset, ws, java.util.Arrays.stream(ws).max().orElseThrow(), answers);
  }
}
