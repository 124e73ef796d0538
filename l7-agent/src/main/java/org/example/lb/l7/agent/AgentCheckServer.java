package org.example.lb.l7.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.config.Validation;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.Metrics;

/**
 * Serves the node's {@link AgentReply} to HAProxy's {@code agent-check}, and pushes changes to watchers.
 *
 * <h2>Protocol</h2>
 * On accept the server writes the current {@link AgentReply#encode() line} at once; that is all HAProxy
 * needs (it reads one line and closes). If the client then sends {@code watch\n} (or {@code watch\r\n})
 * within {@link Settings#watchGrace()} (default 2s), the connection stays open: the server writes the full
 * line again on every change, and every {@link Settings#keepalive()} (default 5s) as a keepalive. On end of
 * stream, on any other input (such as HAProxy's {@code agent-send} string) or after the grace period the
 * server half-closes, drains what the peer still sends and closes, so the peer never gets a reset before it
 * has read its line. A watcher that cannot take a line at once (full socket buffer) is disconnected.
 *
 * <h2>State</h2>
 * This server is the single holder of the node's reply: {@link #set} changes it (from the flag file, see
 * {@link AgentFlagFile}, or from a controller; the latest call wins), {@link #current()} reads it and
 * {@link #subscribe} observes it. Replies are served from a cached, pre-encoded buffer by one selector
 * thread: no allocation beyond the accepted socket, no logging and no locking per connection.
 *
 * <h2>HAProxy 2.6 configuration notes (verified)</h2>
 * <ul>
 *   <li>A failed connection to the agent changes nothing in HAProxy: the servers keep the state last
 *       applied, so restarting this server is harmless, and the full-state line converges HAProxy again.
 *   <li>{@code agent-inter} is also the agent check's timeout unless {@code timeout check} is set.
 *   <li>Use {@code agent-send} on all agent-checked servers of one HAProxy or on none. HAProxy shares one
 *       agent-check rule set between all servers, so one {@code agent-send} makes every agent check connect
 *       with TCP quick-ack off; a server without {@code agent-send} then completes the handshake only after
 *       Linux's 200ms delayed ACK, and its check times out with {@code agent-inter 200ms} ("Layer7 timeout")
 *       or takes about 205ms with a longer timeout. This server answers as soon as it can accept.
 * </ul>
 *
 * <h2>Metrics</h2>
 * {@code lb_agent_connections_total}, {@code lb_agent_watch_subscribers}, {@code lb_agent_state_changes_total},
 * {@code lb_agent_unexpected_input_total}, {@code lb_agent_watchers_dropped_total} and gauges of the served
 * state ({@code lb_agent_up}, {@code lb_agent_weight_percent}, {@code lb_agent_maxconn},
 * {@code lb_agent_admin_state{state}}).
 */
public final class AgentCheckServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AgentCheckServer.class.getName());
  private static final byte[] WATCH = "watch\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int AWAIT = 0;
  private static final int WATCHING = 1;
  private static final int LINGER = 2;
  private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * Where and how to serve.
   *
   * @param address the local address to listen on (e.g. 0.0.0.0, or 127.0.0.1 in tests)
   * @param port 0-65535; 0 picks a free port (see {@link AgentCheckServer#address()})
   * @param watchGrace how long a new connection may take to send {@code watch} (default 2s)
   * @param keepalive interval at which watchers get the current line again (default 5s)
   */
  public record Settings(InetAddress address, int port, Duration watchGrace, Duration keepalive) {
    public Settings {
      Validation.required("address", address);
      Validation.range("port", port, 0, 65535);
      Validation.positive("watchGrace", watchGrace);
      Validation.positive("keepalive", keepalive);
    }

    /** Default timings: 2s watch grace, 5s keepalive. */
    public static Settings of(InetAddress address, int port) {
      return new Settings(address, port, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
  }

  /** Observes the served reply. */
  @FunctionalInterface
  public interface Listener {
    void changed(AgentReply reply);
  }

  /** Ends a {@link #subscribe subscription}: no call to its listener starts after {@code close()} returns. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private record Encoded(AgentReply reply, byte[] line) {
    static Encoded of(AgentReply reply) {
      return new Encoded(reply, reply.encodeBytes());
    }
  }

  /** Per-connection state; touched only by the selector thread. */
  private static final class Conn {
    int phase = AWAIT;
    int matched; // bytes of "watch\r\n" seen so far
    long deadline;
    Encoded lastSent;

    Conn(long deadline, Encoded lastSent) {
      this.deadline = deadline;
      this.lastSent = lastSent;
    }
  }

  private final Settings settings;
  private final ServerSocketChannel serverChannel;
  private final Selector selector;
  private final SelectionKey acceptKey;
  private final InetSocketAddress address;
  private final Thread loop;
  private final long graceNanos;
  private final long keepaliveNanos;
  private final Object setLock = new Object();
  private final SerialExecutor notifications = new SerialExecutor(r -> Thread.ofVirtual().name("agent-listeners").start(r));
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Metrics.Counter connections;
  private final Metrics.Counter stateChanges;
  private final Metrics.Counter unexpectedInput;
  private final Metrics.Counter watchersDropped;
  private volatile Encoded state;
  private volatile int watchers;
  private volatile boolean closed;

  // selector-thread state
  private final ByteBuffer in = ByteBuffer.allocateDirect(256);
  private final Consumer<SelectionKey> onKey = this::handle;
  private Encoded sent;
  private ByteBuffer line;
  private long now;
  private long nextExpiry = Long.MAX_VALUE;
  private boolean expiryArmed;
  private long acceptResumeAt;
  private boolean acceptPaused;
  private long lastWarn = System.nanoTime() - WARN_INTERVAL_NANOS;

  private AgentCheckServer(Settings settings, AgentReply initial, Metrics metrics) throws IOException {
    this.settings = settings;
    this.graceNanos = settings.watchGrace().toNanos();
    this.keepaliveNanos = settings.keepalive().toNanos();
    this.state = Encoded.of(initial);
    this.sent = state;
    this.line = direct(sent.line());
    InetSocketAddress bind = new InetSocketAddress(settings.address(), settings.port());
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(bind, 512);
      ch.configureBlocking(false);
      this.selector = Selector.open();
      this.acceptKey = ch.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot listen for agent checks on " + bind + ": " + e.getMessage(), e);
    }
    this.serverChannel = ch;
    this.address = (InetSocketAddress) ch.getLocalAddress();
    this.connections = metrics.counter("lb_agent_connections_total", "Agent-check connections answered");
    this.stateChanges = metrics.counter("lb_agent_state_changes_total", "Changes of the reply served to HAProxy");
    this.unexpectedInput = metrics.counter("lb_agent_unexpected_input_total",
        "Connections that sent something other than watch (such as HAProxy's agent-send) and were closed");
    this.watchersDropped = metrics.counter("lb_agent_watchers_dropped_total",
        "Watch connections closed because they could not take a line");
    metrics.gauge("lb_agent_watch_subscribers", "Open watch connections", () -> watchers);
    metrics.gauge("lb_agent_up", "1 if the served reply is up, 0 if down",
        () -> state.reply().operational() == AgentReply.Operational.UP ? 1 : 0);
    metrics.gauge("lb_agent_weight_percent", "Served weight in percent of the configured weight",
        () -> state.reply().weightPercent());
    metrics.gauge("lb_agent_maxconn", "Served maxconn (0 = unlimited)", () -> state.reply().maxconn());
    metrics.family("lb_agent_admin_state", "Served administrative state (1 for the current one)", "gauge", out -> {
      AgentReply.Administrative current = state.reply().administrative();
      for (AgentReply.Administrative a : AgentReply.Administrative.values()) {
        out.sample("lb_agent_admin_state", List.of("state", a.name().toLowerCase(Locale.ROOT)),
            a == current ? 1 : 0);
      }
    });
    this.loop = Thread.ofPlatform().daemon().name("agent-check-" + address.getPort()).unstarted(this::run);
  }

  /**
   * Listens and starts serving {@code initial} (usually {@link AgentReply#DEFAULT}).
   *
   * @throws IOException if the address cannot be bound; the message names the address
   */
  public static AgentCheckServer start(Settings settings, AgentReply initial, Metrics metrics) throws IOException {
    AgentCheckServer server = new AgentCheckServer(settings, Objects.requireNonNull(initial), metrics);
    server.loop.start();
    return server;
  }

  /** The address listened on, with the actual port when {@link Settings#port()} was 0. */
  public InetSocketAddress address() {
    return address;
  }

  /** The reply served now. */
  public AgentReply current() {
    return state.reply();
  }

  /**
   * Serves {@code reply} from now on: every connection accepted after this returns gets it, and watchers
   * are pushed it at once. Listeners are told in the order of calls.
   *
   * @return false if it was already the served reply (nothing happens then)
   */
  public boolean set(AgentReply reply) {
    Objects.requireNonNull(reply, "reply");
    synchronized (setLock) {
      if (reply.equals(state.reply())) {
        return false;
      }
      state = Encoded.of(reply);
      stateChanges.increment();
      LOG.info("serving agent reply: " + reply.encode().strip());
      for (Listener l : listeners) {
        notifications.execute(() -> l.changed(reply));
      }
    }
    selector.wakeup();
    return true;
  }

  /**
   * Calls {@code listener} with the current reply, then with every change, one call at a time on a
   * virtual thread (a slow listener delays the others, never the serving).
   */
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    var active = new AtomicBoolean(true);
    Listener guarded = reply -> {
      if (active.get()) {
        listener.changed(reply);
      }
    };
    synchronized (setLock) {
      listeners.add(guarded);
      AgentReply current = state.reply();
      notifications.execute(() -> guarded.changed(current));
    }
    return () -> {
      active.set(false);
      listeners.remove(guarded);
    };
  }

  /** Open watch connections. */
  public int watchers() {
    return watchers;
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- selector thread ----

  private void run() {
    try {
      while (!closed) {
        try {
          long timeoutMs = 0; // block until woken
          long wake = nextWake();
          if (wake != Long.MAX_VALUE) {
            timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime() + 999_999));
          }
          now = System.nanoTime();
          if (wake == Long.MAX_VALUE || wake - now > 0) {
            selector.select(onKey, timeoutMs);
          } else {
            selector.selectNow(onKey);
          }
          if (closed) {
            break;
          }
          now = System.nanoTime();
          refresh();
          if (acceptPaused && now - acceptResumeAt >= 0) {
            acceptPaused = false;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
          }
          if (expiryArmed && now - nextExpiry >= 0) {
            expire();
          }
        } catch (IOException | RuntimeException e) {
          warn("agent-check server loop: " + e);
        }
      }
    } finally {
      shutdown();
    }
  }

  private long nextWake() {
    long wake = expiryArmed ? nextExpiry : Long.MAX_VALUE;
    if (acceptPaused && (wake == Long.MAX_VALUE || acceptResumeAt - wake < 0)) {
      wake = acceptResumeAt;
    }
    return wake;
  }

  /** Picks up a {@link #set} reply: pushes it to watchers and serves it to every later accept. */
  private void refresh() {
    Encoded current = state;
    if (current != sent) {
      sent = current;
      line = direct(current.line());
      pushToWatchers();
    }
  }

  private void handle(SelectionKey key) {
    now = System.nanoTime();
    if (key == acceptKey) {
      accept();
    } else if (key.isValid() && key.isReadable()) {
      read(key);
    }
  }

  private void accept() {
    while (true) {
      SocketChannel ch;
      try {
        ch = serverChannel.accept();
      } catch (IOException e) {
        // e.g. out of file descriptors: pause accepting briefly instead of spinning
        warn("cannot accept agent-check connections on " + address + ": " + e.getMessage());
        acceptPaused = true;
        acceptResumeAt = now + ACCEPT_PAUSE_NANOS;
        acceptKey.interestOps(0);
        return;
      }
      if (ch == null) {
        return;
      }
      refresh(); // one volatile read: a connection made after set() returned gets the new line
      connections.increment();
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        line.clear();
        ch.write(line);
        if (line.hasRemaining()) {
          ch.close(); // cannot happen on a fresh socket with a line this short
          continue;
        }
        Conn conn = new Conn(now + graceNanos, sent);
        ch.register(selector, SelectionKey.OP_READ, conn);
        armExpiry(conn.deadline);
      } catch (IOException e) {
        closeQuietly(ch); // the peer went away already
      }
    }
  }

  private void read(SelectionKey key) {
    SocketChannel ch = (SocketChannel) key.channel();
    Conn conn = (Conn) key.attachment();
    int n;
    in.clear();
    try {
      n = ch.read(in);
    } catch (IOException e) {
      n = -1; // reset by peer: HAProxy aborts its check connections
    }
    if (n < 0) {
      close(key, conn);
      return;
    }
    if (conn.phase != AWAIT) {
      return; // watchers and lingering connections: input is ignored
    }
    in.flip();
    while (in.hasRemaining() && conn.phase == AWAIT) {
      byte b = in.get();
      int m = conn.matched;
      if (m < 5 && b == WATCH[m]) {
        conn.matched = m + 1;
      } else if (m == 5 && b == '\r') {
        conn.matched = 6;
      } else if ((m == 5 || m == 6) && b == '\n') {
        startWatching(key, conn);
      } else {
        unexpectedInput.increment();
        conn.phase = LINGER;
        try {
          ch.shutdownOutput();
        } catch (IOException e) {
          close(key, conn);
        }
      }
    }
  }

  private void startWatching(SelectionKey key, Conn conn) {
    conn.phase = WATCHING;
    watchers++;
    if (conn.lastSent != sent) {
      writeToWatcher(key, conn);
    }
    conn.deadline = now + keepaliveNanos;
    armExpiry(conn.deadline);
  }

  private void pushToWatchers() {
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Conn conn && conn.phase == WATCHING && key.isValid()) {
        writeToWatcher(key, conn);
        conn.deadline = now + keepaliveNanos;
        armExpiry(conn.deadline);
      }
    }
  }

  private void writeToWatcher(SelectionKey key, Conn conn) {
    SocketChannel ch = (SocketChannel) key.channel();
    try {
      line.clear();
      ch.write(line);
      if (line.hasRemaining()) {
        watchersDropped.increment();
        close(key, conn);
        return;
      }
      conn.lastSent = sent;
    } catch (IOException e) {
      close(key, conn);
    }
  }

  private void expire() {
    expiryArmed = false;
    nextExpiry = Long.MAX_VALUE;
    for (SelectionKey key : selector.keys()) {
      if (!(key.attachment() instanceof Conn conn) || !key.isValid()) {
        continue;
      }
      if (now - conn.deadline >= 0) {
        if (conn.phase == WATCHING) {
          writeToWatcher(key, conn);
          conn.deadline = now + keepaliveNanos;
        } else {
          close(key, conn);
          continue;
        }
      }
      if (key.isValid()) {
        armExpiry(conn.deadline);
      }
    }
  }

  private void armExpiry(long deadline) {
    if (!expiryArmed || deadline - nextExpiry < 0) {
      nextExpiry = deadline;
      expiryArmed = true;
    }
  }

  private void close(SelectionKey key, Conn conn) {
    if (conn.phase == WATCHING) {
      watchers--;
    }
    conn.phase = LINGER;
    key.cancel();
    closeQuietly(key.channel());
  }

  private void shutdown() {
    for (SelectionKey key : selector.keys()) {
      closeQuietly(key.channel());
    }
    watchers = 0;
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(serverChannel);
  }

  private void warn(String message) {
    long t = System.nanoTime();
    if (t - lastWarn >= WARN_INTERVAL_NANOS) {
      lastWarn = t;
      LOG.warning(message);
    }
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
    b.put(bytes).flip();
    return b;
  }

  private static void closeQuietly(Channel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "AgentCheckServer[" + address + ", " + settings.watchGrace() + " grace, " + settings.keepalive()
        + " keepalive]";
  }
}
