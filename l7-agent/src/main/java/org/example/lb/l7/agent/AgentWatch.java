package org.example.lb.l7.agent;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.example.lb.common.config.Validation;

/**
 * Follows a node's {@link AgentCheckServer} with the watch protocol, so a controller learns of a change
 * at once instead of at HAProxy's next {@code agent-inter}.
 *
 * <p>Connects, sends {@code watch\n} and reads one {@link AgentReply#encode() line} per change (plus
 * keepalives). On a connect failure, a closed connection or no line for {@link Settings#silence()} it
 * reports {@link Status.Unreachable} and reconnects with exponential backoff between
 * {@link Settings#minBackoff()} and {@link Settings#maxBackoff()}. Lines longer than {@value #MAX_LINE}
 * bytes or not valid per {@link AgentReply#parse} are dropped and counted ({@link #droppedLines()}), never
 * thrown. The listener gets each <em>change</em> of {@link Status} (keepalives repeating the same reply are
 * not reported), one call at a time on the given executor.
 */
public final class AgentWatch implements AutoCloseable {
  /** Longest line accepted from the network, in bytes, newline included. */
  public static final int MAX_LINE = 512;

  private static final byte[] WATCH = "watch\n".getBytes(StandardCharsets.US_ASCII);

  /** What is known of the node. */
  public sealed interface Status {
    /** Connected; the node reports {@code reply}. */
    record Reachable(AgentReply reply) implements Status {}

    /** Not connected; {@code reason} says why (address and error). */
    record Unreachable(String reason) implements Status {}
  }

  /** Receives each change of status. */
  @FunctionalInterface
  public interface Listener {
    void changed(Status status);
  }

  /**
   * Whom to watch and how patiently.
   *
   * @param agent the node's agent-check address
   * @param connectTimeout limit for one connection attempt (default 1s)
   * @param silence no line for this long means the node is unreachable; keep it above the server's
   *     keepalive (default 15s, three 5s keepalives)
   * @param minBackoff first pause before reconnecting (default 100ms)
   * @param maxBackoff longest pause before reconnecting (default 5s)
   */
  public record Settings(InetSocketAddress agent, Duration connectTimeout, Duration silence, Duration minBackoff,
      Duration maxBackoff) {
    public Settings {
      Validation.required("agent", agent);
      Validation.positive("connectTimeout", connectTimeout);
      Validation.positive("silence", silence);
      Validation.positive("minBackoff", minBackoff);
      Validation.positive("maxBackoff", maxBackoff);
      if (maxBackoff.compareTo(minBackoff) < 0) {
        throw Validation.invalid("maxBackoff", maxBackoff, "at least minBackoff " + minBackoff);
      }
    }

    /** Default timings: 1s connect timeout, 15s silence, backoff 100ms to 5s. */
    public static Settings of(InetSocketAddress agent) {
      return new Settings(agent, Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMillis(100),
          Duration.ofSeconds(5));
    }
  }

  private final Settings settings;
  private final Executor executor;
  private final Listener listener;
  private final Thread thread;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private final Object statusLock = new Object();
  private volatile Status status;
  private volatile boolean closed;
  private volatile Socket socket;

  private AgentWatch(Settings settings, Executor executor, Listener listener) {
    this.settings = settings;
    this.executor = Objects.requireNonNull(executor, "executor");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.status = new Status.Unreachable(settings.agent() + ": not connected yet");
    this.thread = Thread.ofVirtual().name("agent-watch-" + settings.agent()).unstarted(this::run);
  }

  /**
   * Starts following the node. The status starts as {@code Unreachable("... not connected yet")}, which
   * is not reported; the first report is the first reply or the first failure.
   *
   * @param executor where the listener runs; give it the consumer's serialized executor
   */
  public static AgentWatch start(Settings settings, Executor executor, Listener listener) {
    AgentWatch watch = new AgentWatch(settings, executor, listener);
    watch.thread.start();
    return watch;
  }

  /** What is known now. */
  public Status status() {
    return status;
  }

  /** Lines dropped because they were too long or not a valid reply. */
  public long droppedLines() {
    return dropped.sum();
  }

  /** Successful connections so far (1 + reconnects). */
  public long connects() {
    return connects.sum();
  }

  @Override
  public void close() {
    closed = true;
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    thread.interrupt();
  }

  private void run() {
    long backoff = settings.minBackoff().toNanos();
    while (!closed) {
      String failure;
      try (Socket s = new Socket()) {
        socket = s;
        if (closed) {
          return;
        }
        s.connect(settings.agent(), (int) Math.max(1, settings.connectTimeout().toMillis()));
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Math.max(1, settings.silence().toMillis()));
        connects.increment();
        OutputStream out = s.getOutputStream();
        out.write(WATCH);
        out.flush();
        failure = follow(new BufferedInputStream(s.getInputStream(), 1024));
        backoff = settings.minBackoff().toNanos(); // the connection worked: next retry is quick
      } catch (SocketTimeoutException e) {
        failure = "no line for " + settings.silence();
      } catch (IOException e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (closed) {
        return;
      }
      report(new Status.Unreachable(settings.agent() + ": " + failure));
      try {
        Thread.sleep(Duration.ofNanos(backoff));
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
    }
  }

  /** Reads lines until the stream ends; returns why it ended. */
  private String follow(InputStream in) throws IOException {
    byte[] buf = new byte[MAX_LINE];
    int len = 0;
    boolean overflow = false;
    int b;
    while ((b = in.read()) >= 0) {
      if (b != '\n') {
        if (len < MAX_LINE) {
          buf[len++] = (byte) b;
        } else {
          overflow = true;
        }
        continue;
      }
      if (overflow) {
        dropped.increment();
      } else {
        switch (AgentReply.parse(new String(buf, 0, len, StandardCharsets.UTF_8))) {
          case AgentReply.Parsed.Reply(AgentReply reply) -> report(new Status.Reachable(reply));
          case AgentReply.Parsed.Invalid ignored -> dropped.increment();
        }
      }
      len = 0;
      overflow = false;
    }
    return "agent closed the connection";
  }

  private void report(Status next) {
    synchronized (statusLock) {
      if (next.equals(status)) {
        return;
      }
      status = next;
      executor.execute(() -> listener.changed(next));
    }
  }

  @Override
  public String toString() {
    return "AgentWatch[" + settings.agent() + ", " + status + "]";
  }
}
