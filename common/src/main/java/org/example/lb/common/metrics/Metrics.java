package org.example.lb.common.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * A small Prometheus registry (text exposition format 0.0.4). Counters are {@link LongAdder}s so
 * hot paths increment without locks or allocation; gauges and labelled families are read on scrape.
 */
public final class Metrics {
  private final List<Family> families = new CopyOnWriteArrayList<>();

  /** A monotonically increasing count. */
  public Counter counter(String name, String help) {
    Counter counter = new Counter();
    families.add(new Family(name, help, "counter", out -> out.sample(name, "", counter.get())));
    return counter;
  }

  /** A value read at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    families.add(new Family(name, help, "gauge", out -> out.sample(name, "", value.getAsDouble())));
  }

  /** A family whose labelled samples are produced at scrape time (e.g. one per server). */
  public void family(String name, String help, String type, Consumer<Samples> producer) {
    families.add(new Family(name, help, type, producer));
  }

  /** Renders every family in the Prometheus text format. */
  public String scrape() {
    StringBuilder sb = new StringBuilder(4096);
    for (Family f : families) {
      sb.append("# HELP ").append(f.name).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      f.producer.accept(new Samples(sb));
    }
    return sb.toString();
  }

  /** Collects samples for one family. */
  public static final class Samples {
    private final StringBuilder sb;

    Samples(StringBuilder sb) {
      this.sb = sb;
    }

    /** Adds a sample; {@code labels} is a list of alternating names and values. */
    public void sample(String name, List<String> labels, double value) {
      List<String> pairs = new ArrayList<>();
      for (int i = 0; i + 1 < labels.size(); i += 2) {
        pairs.add(labels.get(i) + "=\"" + escape(labels.get(i + 1)) + "\"");
      }
      sample(name, pairs.isEmpty() ? "" : "{" + String.join(",", pairs) + "}", value);
    }

    void sample(String name, String labels, double value) {
      sb.append(name).append(labels).append(' ');
      if (value == Math.rint(value) && !Double.isInfinite(value)) {
        sb.append((long) value);
      } else {
        sb.append(value);
      }
      sb.append('\n');
    }

    private static String escape(String v) {
      return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
  }

  /** A counter; {@link #increment()} is lock-free and allocation-free. */
  public static final class Counter {
    private final LongAdder adder = new LongAdder();

    public void increment() {
      adder.increment();
    }

    public void add(long n) {
      adder.add(n);
    }

    public long get() {
      return adder.sum();
    }
  }

  private record Family(String name, String help, String type, Consumer<Samples> producer) {}
}
