package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.answer.Responder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The UDP socket and its blocking recvmmsg/sendmmsg thread, on loopback, queried with plain datagram channels. */
class DatagramLoopTest {
  private final QueryStats stats = new QueryStats();
  private final List<DatagramLoop> loops = new ArrayList<>();

  @AfterEach
  void closeLoops() {
    loops.forEach(DatagramLoop::close);
  }

  private DatagramLoop bind(String address, int port) throws Exception {
    AnswerTable table = TestZones.table();
    DatagramLoop loop = DatagramLoop.bind(new InetSocketAddress(InetAddress.getByName(address), port),
        Responder.create(() -> table, stats), stats, "test-udp");
    loops.add(loop);
    return loop;
  }

  private static byte[] query(int id, String name) throws IOException {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1));
    m.getHeader().setID(id);
    return m.toWire();
  }

  private static DatagramChannel client(StandardProtocolFamily family) throws IOException {
    DatagramChannel client = DatagramChannel.open(family);
    client.socket().setSoTimeout(5000);
    return client;
  }

  @Test
  void answersEveryQueryOfABurstToItsSender() throws Exception {
    DatagramLoop loop = bind("127.0.0.1", 0);
    assertThat(loop.localAddress().getPort()).isPositive();
    try (DatagramChannel a = client(StandardProtocolFamily.INET);
        DatagramChannel b = client(StandardProtocolFamily.INET)) {
      a.socket().setReceiveBufferSize(1 << 20);
      for (int id = 1; id <= 100; id++) { // more than one batch queued before the thread reads
        a.send(ByteBuffer.wrap(query(id, "www.example.com.")), loop.localAddress());
      }
      b.send(ByteBuffer.wrap(query(7777, "nope.example.com.")), loop.localAddress());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        Message m = new Message(receiveWithTimeout(a));
        ids.add(m.getHeader().getID());
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).extracting(r -> ((ARecord) r).getAddress().getHostAddress())
            .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
      }
      assertThat(ids).hasSize(100);
      Message other = new Message(receiveWithTimeout(b));
      assertThat(other.getHeader().getID()).isEqualTo(7777);
      assertThat(other.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
    assertThat(stats.get(Stat.UDP_REQS)).isEqualTo(101);
    assertThat(stats.get(Stat.V6)).isZero();
  }

  /** One datagram, waiting at most the client's 5 s timeout. */
  private static byte[] receiveWithTimeout(DatagramChannel client) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    client.socket().receive(p);
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  /**
   * Evidence for "nothing allocated per query" on the UDP path: after 100 000 queries to warm up (the downcalls
   * allocate until the JIT has compiled the loop), the answering thread's allocated bytes across 20 000 queries stay
   * far below one object per query (at least 320 kB). The least of up to five such rounds is taken, so a round in
   * which the JIT was still at work does not count; allocation per query would show in every round.
   */
  @Test
  void theAnsweringThreadDoesNotAllocatePerQuery() throws Exception {
    assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    DatagramLoop loop = bind("127.0.0.1", 0);
    long least = Long.MAX_VALUE;
    int rounds = 0;
    try (DatagramChannel c = client(StandardProtocolFamily.INET)) {
      byte[][] queries = {query(1, "www.example.com."), query(2, "nope.example.com."), query(3, "WwW.ExAmPlE.cOm.")};
      exchange(c, loop, queries, 100_000);
      while (rounds < 5 && least >= 64 * 1024) {
        long before = threads.getThreadAllocatedBytes(loop.threadId());
        exchange(c, loop, queries, 20_000);
        least = Math.min(least, threads.getThreadAllocatedBytes(loop.threadId()) - before);
        rounds++;
      }
    }
    assertThat(least).as("bytes allocated by the answering thread in 20 000 queries (least of %d rounds)", rounds)
        .isLessThan(64 * 1024);
    assertThat(stats.get(Stat.UDP_REQS)).isEqualTo(100_000 + 20_000L * rounds);
  }

  /** Sends {@code count} queries, up to 8 outstanding, and reads every answer. */
  private static void exchange(DatagramChannel c, DatagramLoop loop, byte[][] queries, int count) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    int sent = 0;
    for (int received = 0; received < count; received++) {
      while (sent < count && sent - received < 8) {
        c.send(ByteBuffer.wrap(queries[sent % queries.length]), loop.localAddress());
        sent++;
      }
      c.socket().receive(p);
    }
  }

  @Test
  void answersOverIpv6AndCountsIt() throws Exception {
    DatagramLoop loop = bind("::1", 0);
    try (DatagramChannel c = client(StandardProtocolFamily.INET6)) {
      c.send(ByteBuffer.wrap(query(42, "www.example.com.")), loop.localAddress());
      Message m = new Message(receiveWithTimeout(c));
      assertThat(m.getHeader().getID()).isEqualTo(42);
    }
    assertThat(stats.get(Stat.V6)).isEqualTo(1);
  }

  @Test
  void anOversizedDatagramIsAnsweredFromItsFirstBytesAndTheLoopGoesOn() throws Exception {
    DatagramLoop loop = bind("127.0.0.1", 0);
    try (DatagramChannel c = client(StandardProtocolFamily.INET)) {
      byte[] big = new byte[DatagramLoop.MAX_QUERY_BYTES + 3000];
      byte[] q = query(9, "www.example.com.");
      System.arraycopy(q, 0, big, 0, q.length);
      big[5] = 2; // QDCOUNT 2: the cut message is malformed
      c.send(ByteBuffer.wrap(big), loop.localAddress());
      Message formerr = new Message(receiveWithTimeout(c));
      assertThat(formerr.getHeader().getID()).isEqualTo(9);
      assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
      c.send(ByteBuffer.wrap(query(10, "www.example.com.")), loop.localAddress());
      assertThat(new Message(receiveWithTimeout(c)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void closeWakesTheThreadAndReleasesThePort() throws Exception {
    DatagramLoop loop = bind("127.0.0.1", 0);
    InetSocketAddress address = loop.localAddress();
    loop.close();
    // a socket without SO_REUSEPORT can take the port only once every socket of the group is closed
    try (DatagramChannel again = DatagramChannel.open(StandardProtocolFamily.INET)) {
      again.bind(address);
      assertThat(again.getLocalAddress()).isEqualTo(address);
    }
  }

  @Test
  void aTakenPortIsOneErrorNamingTheAddress() throws Exception {
    try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
      assertThatThrownBy(() -> bind("127.0.0.1", port))
          .isInstanceOf(IOException.class)
          .hasMessage("cannot listen on UDP /127.0.0.1:" + port + ": Address already in use (errno 98)");
    }
  }

  @Test
  void socketsOfOneAddressShareThePort() throws Exception {
    DatagramLoop first = bind("127.0.0.1", 0);
    DatagramLoop second = bind("127.0.0.1", first.localAddress().getPort());
    assertThat(second.localAddress()).isEqualTo(first.localAddress());
  }
}
