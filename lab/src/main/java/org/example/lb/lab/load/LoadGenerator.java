package org.example.lb.lab.load;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.example.lb.lab.load.ConnectionResult.Kind;
import org.example.lb.lab.node.Payload;

/**
 * Client load against the VIPs: {@link LoadSettings#downloads()} long downloads kept running (a new one starts when
 * one ends) and short requests at {@link LoadSettings#requestRate()} per second, every connection on its own virtual
 * thread, bound to the next client address of its target's family. Must run inside the clients' network namespace.
 * Each ended connection is counted and handed to the listener (on the connection's thread: it must be thread-safe).
 */
public final class LoadGenerator {
  /** After a failed download, wait this long before the next one, so a dead path is not hammered. */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final LoadSettings settings;
  private final HttpExchange exchange;
  private final Consumer<ConnectionResult> listener;
  private final AtomicBoolean starting = new AtomicBoolean(true);
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger targetTurn = new AtomicInteger();
  private final Map<Boolean, AtomicInteger> sourceTurn = Map.of(true, new AtomicInteger(), false, new AtomicInteger());
  private final Map<Boolean, List<InetAddress>> sources;
  private final AtomicLong inFlight = new AtomicLong();
  private final Counts downloads = new Counts();
  private final Counts requests = new Counts();
  private final List<Thread> threads = new ArrayList<>();
  private final long startedAt = System.currentTimeMillis();

  private LoadGenerator(LoadSettings settings, Consumer<ConnectionResult> listener) {
    this.settings = settings;
    this.listener = listener;
    this.exchange = new HttpExchange(settings, settings.downloads() > 0 ? Payload.bytes() : new byte[0]);
    this.sources = Map.of(
        true, settings.sources().stream().filter(a -> a instanceof Inet6Address).toList(),
        false, settings.sources().stream().filter(a -> !(a instanceof Inet6Address)).toList());
  }

  /** Starts the load at once. */
  public static LoadGenerator start(LoadSettings settings, Consumer<ConnectionResult> listener) {
    LoadGenerator load = new LoadGenerator(settings, listener);
    for (int i = 0; i < settings.downloads(); i++) {
      load.threads.add(Thread.ofVirtual().name("download " + i).start(load::downloadLoop));
    }
    if (settings.requestRate() > 0) {
      load.threads.add(Thread.ofPlatform().daemon().name("request pacer").start(load::requestLoop));
    }
    if (!settings.duration().isZero()) {
      Thread.ofPlatform().daemon().name("load duration").start(() -> {
        LockSupport.parkNanos(settings.duration().toNanos());
        load.stop();
      });
    }
    return load;
  }

  /** Stops starting connections; those in flight run to their end. Idempotent. */
  public void stop() {
    starting.set(false);
  }

  public boolean stopped() {
    return !starting.get();
  }

  /** Waits until no connection is in flight (after {@link #stop()}); false if {@code max} passed first. */
  public boolean awaitIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !t.join(Duration.ofNanos(left))) {
        return false;
      }
    }
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The counts so far. */
  public Snapshot snapshot() {
    return new Snapshot(startedAt, System.currentTimeMillis(), inFlight.get(), downloads.snapshot(),
        requests.snapshot());
  }

  private void downloadLoop() {
    while (starting.get()) {
      ConnectionResult r = connect(Kind.DOWNLOAD);
      if (r.failed() && starting.get()) {
        LockSupport.parkNanos(RETRY_PAUSE.toNanos());
      }
    }
  }

  private void requestLoop() {
    long period = (long) (1e9 / settings.requestRate());
    long next = System.nanoTime();
    while (starting.get()) {
      next += period;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (wait < -1_000_000_000L) {
        next = System.nanoTime(); // fell a second behind (a stalled machine): do not burst to catch up
      }
      if (starting.get()) {
        Thread.ofVirtual().name("request").start(() -> connect(Kind.REQUEST));
      }
    }
  }

  private ConnectionResult connect(Kind kind) {
    Counts counts = kind == Kind.DOWNLOAD ? downloads : requests;
    InetAddress target = settings.targets().get(Math.floorMod(targetTurn.getAndIncrement(), settings.targets().size()));
    boolean v6 = target instanceof Inet6Address;
    List<InetAddress> family = sources.get(v6);
    InetAddress source = family.get(Math.floorMod(sourceTurn.get(v6).getAndIncrement(), family.size()));
    inFlight.incrementAndGet();
    counts.started.increment();
    ConnectionResult result;
    try {
      result = exchange.run(ids.incrementAndGet(), kind, source, target);
      result.failure().ifPresentOrElse(f -> counts.failed.get(f).increment(), counts.completed::increment);
      counts.bytes.add(result.bytes());
      try {
        listener.accept(result);
      } catch (RuntimeException e) {
        System.err.println("connection listener failed: " + e);
      }
    } finally {
      inFlight.decrementAndGet();
    }
    return result;
  }

  private static final class Counts {
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final Map<FailureReason, LongAdder> failed = new EnumMap<>(FailureReason.class);

    Counts() {
      for (FailureReason r : FailureReason.values()) {
        failed.put(r, new LongAdder());
      }
    }

    KindCounts snapshot() {
      Map<FailureReason, Long> f = new EnumMap<>(FailureReason.class);
      failed.forEach((r, n) -> f.put(r, n.sum()));
      return new KindCounts(started.sum(), completed.sum(), f, bytes.sum());
    }
  }

  /** Counts of one kind of connection. {@code failed} has every reason, zeros included. */
  public record KindCounts(long started, long completed, Map<FailureReason, Long> failed, long bytes) {
    public KindCounts {
      failed = Map.copyOf(failed);
    }

    public long failedTotal() {
      return failed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The counts at one moment. */
  public record Snapshot(long startedAt, long at, long inFlight, KindCounts downloads, KindCounts requests) {
    public long started() {
      return downloads.started() + requests.started();
    }

    public long completed() {
      return downloads.completed() + requests.completed();
    }

    public long failed() {
      return downloads.failedTotal() + requests.failedTotal();
    }

    /** Failures of both kinds by reason, every reason included. */
    public Map<FailureReason, Long> failedByReason() {
      Map<FailureReason, Long> all = new EnumMap<>(FailureReason.class);
      for (FailureReason r : FailureReason.values()) {
        all.put(r, downloads.failed().get(r) + requests.failed().get(r));
      }
      return all;
    }
  }
}
