package org.example.lb.dns.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dynamic answers sent, per resource and the state it answered in; kept by the node across reloads. Each count is a
 * {@link LongAdder} incremented on the query path.
 */
public final class AnswerCounters {
  private final Map<String, LongAdder[]> byResource = new ConcurrentHashMap<>();

  /** The counter of {@code resource} answering in {@code state} (created on first use, off the query path). */
  LongAdder of(String resource, ResourceState state) {
    return byResource.computeIfAbsent(resource, r -> {
      LongAdder[] a = new LongAdder[ResourceState.values().length];
      for (int i = 0; i < a.length; i++) {
        a[i] = new LongAdder();
      }
      return a;
    })[state.ordinal()];
  }

  /** Resource → state → answers, resources sorted by name. */
  public Map<String, Map<ResourceState, Long>> snapshot() {
    Map<String, Map<ResourceState, Long>> out = new TreeMap<>();
    byResource.forEach((resource, counts) -> {
      Map<ResourceState, Long> m = new LinkedHashMap<>();
      for (ResourceState s : ResourceState.values()) {
        m.put(s, counts[s.ordinal()].sum());
      }
      out.put(resource, m);
    });
    return out;
  }
}
