package org.example.lb.l4.nativeio;

import org.example.lb.l4.testing.TestNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.example.lb.common.test.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollSetTest {
  private TestNamespace ns;
  private Arena arena;
  private RawSocket ipv4;
  private RawSocket ipv6;
  private RawSocket sender;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    ns = TestNamespace.create();
    arena = Arena.ofConfined();
    ipv4 = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    ipv6 = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_RAW));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (RawSocket s : new RawSocket[] {ipv4, ipv6, sender}) {
      if (s != null) {
        s.close();
      }
    }
    if (arena != null) {
      arena.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void reportsWhichChannelHasAPacket() throws Exception {
    PollSet set = PollSet.of(ipv4, ipv6);
    assertThat(set.await(0)).as("nothing queued yet").isZero();

    byte[] packet = Packets.ipv6("::1", "::1", 41, 9,
        Packets.ipv6("2001:db8::1", "2001:db8::2", 59, 64, new byte[] {1}));
    MemorySegment out = arena.allocate(packet.length);
    out.copyFrom(MemorySegment.ofArray(packet));
    sender.sendTo(out, packet.length, SockAddr.of(InetAddress.getByName("::1")));

    assertThat(set.await(5_000)).isEqualTo(1);
    assertThat(set.isReadable(0)).isFalse();
    assertThat(set.isReadable(1)).isTrue();
    assertThat(set.channels()).containsExactly(ipv4, ipv6);
  }

  @Test
  void closedChannelIsReportedAsEbadf() throws Exception {
    PollSet set = PollSet.of(ipv4, ipv6);
    ipv4.close();
    assertThatThrownBy(() -> set.await(0))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.EBADF));
  }

  @Test
  void emptySetIsRejected() {
    assertThatThrownBy(PollSet::of).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels: [] (expected: at least one)");
  }
}
