package org.example.lb.dns;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * A client asking one question of 127.0.0.1 over and over, in a thread of its own, until stopped: every response must
 * pass a check (what tests of reloads use to show that no query is lost or answered wrongly meanwhile).
 */
public final class QueryLoop {
  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  private QueryLoop(int port, String name, int type, Predicate<Message> ok) {
    thread = Thread.ofPlatform().name("query-loop").start(() -> {
      try {
        SimpleResolver r = TestClient.resolver(InetAddress.getLoopbackAddress(), port, false);
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        while (!done.get()) {
          Message m = r.send(q);
          if (!ok.test(m)) {
            throw new AssertionError("answered wrongly: " + m);
          }
          answered.incrementAndGet();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
  }

  /** Starts asking {@code name} {@code type} of 127.0.0.1:{@code port}; {@code ok} judges each response. */
  public static QueryLoop start(int port, String name, int type, Predicate<Message> ok) {
    return new QueryLoop(port, name, type, ok);
  }

  /**
   * Stops asking; how many responses passed.
   *
   * @throws AssertionError with the first response that did not pass, or the error that stopped the client
   */
  public int stop() throws InterruptedException {
    done.set(true);
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("while asking in a loop: " + failure.get(), failure.get());
    }
    return answered.get();
  }
}
