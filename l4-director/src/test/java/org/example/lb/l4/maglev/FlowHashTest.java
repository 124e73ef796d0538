package org.example.lb.l4.maglev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowHashTest {
  private static byte[] address(String literal) throws Exception {
    return InetAddress.getByName(literal).getAddress();
  }

  @Test
  void bytesAndNumericFormsAgreeForIpv4() throws Exception {
    byte[] packet = new byte[40];
    System.arraycopy(address("192.0.2.1"), 0, packet, 12, 4);
    System.arraycopy(address("198.51.100.1"), 0, packet, 16, 4);
    long fromBytes = FlowHash.fiveTuple(packet, 12, packet, 16, 4, 40000, 80, 6);
    assertThat(fromBytes).isEqualTo(FlowHash.fiveTupleV4(0xC0000201, 0xC6336401, 40000, 80, 6));
    assertThat(FlowHash.sourceOnly(packet, 12, 4)).isEqualTo(FlowHash.sourceOnlyV4(0xC0000201));
  }

  @Test
  void bytesAndNumericFormsAgreeForIpv6() throws Exception {
    byte[] src = address("2001:db8::1");
    byte[] dst = address("2001:db8:ffff::8000:2");
    ByteBuffer s = ByteBuffer.wrap(src);
    ByteBuffer d = ByteBuffer.wrap(dst);
    long fromBytes = FlowHash.fiveTuple(src, 0, dst, 0, 16, 51000, 443, 17);
    assertThat(fromBytes)
        .isEqualTo(FlowHash.fiveTupleV6(s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8), 51000, 443, 17));
    assertThat(FlowHash.sourceOnly(src, 0, 16)).isEqualTo(FlowHash.sourceOnlyV6(s.getLong(0), s.getLong(8)));
  }

  @Test
  void everyFieldOfTheTupleChangesTheHash() {
    Set<Long> hashes = new HashSet<>(List.of(
        FlowHash.fiveTupleV4(0xC0000201, 0xC6336401, 40000, 80, 6),
        FlowHash.fiveTupleV4(0xC0000202, 0xC6336401, 40000, 80, 6),
        FlowHash.fiveTupleV4(0xC0000201, 0xC6336402, 40000, 80, 6),
        FlowHash.fiveTupleV4(0xC0000201, 0xC6336401, 40001, 80, 6),
        FlowHash.fiveTupleV4(0xC0000201, 0xC6336401, 40000, 81, 6),
        FlowHash.fiveTupleV4(0xC0000201, 0xC6336401, 40000, 80, 17),
        FlowHash.fiveTupleV4(0xC6336401, 0xC0000201, 80, 40000, 6),
        FlowHash.sourceOnlyV4(0xC0000201),
        FlowHash.sourceOnlyV6(0x20010DB800000000L, 1),
        FlowHash.fiveTupleV6(0x20010DB800000000L, 1, 0x20010DB800000000L, 2, 40000, 80, 6)));
    assertThat(hashes).hasSize(10);
  }

  @Test
  void sourceOnlyIgnoresEverythingButTheSource() throws Exception {
    byte[] a = address("203.0.113.9");
    byte[] b = new byte[] {0, 0, (byte) 203, 0, 113, 9};
    assertThat(FlowHash.sourceOnly(b, 2, 4)).isEqualTo(FlowHash.sourceOnly(a, 0, 4));
  }

  @Test
  void rejectsAddressLengthsOtherThanFourOrSixteen() {
    assertThatThrownBy(() -> FlowHash.fiveTuple(new byte[8], 0, new byte[8], 0, 8, 1, 2, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("addressLength: 8 (expected: 4 or 16)");
    assertThatThrownBy(() -> FlowHash.sourceOnly(new byte[8], 0, 5))
        .hasMessage("addressLength: 5 (expected: 4 or 16)");
  }

  @Test
  void hashingAndLookupDoNotAllocate() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MaglevTable table = MaglevTable.build(List.of(Backend.of("a"), Backend.of("b"), Backend.of("c")));
    byte[] packet = new byte[64];
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      long id = Thread.currentThread().threadId();
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 200_000; i++) {
        packet[15] = (byte) i;
        sink += table.lookup(FlowHash.fiveTuple(packet, 12, packet, 16, 4, i & 0xFFFF, 80, 6));
        sink += table.lookup(FlowHash.fiveTuple(packet, 8, packet, 24, 16, i & 0xFFFF, 443, 17));
        sink += table.lookup(FlowHash.sourceOnly(packet, 8, 16));
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      if (round == 2) {
        assertThat(allocated).as("bytes allocated by 600k hashes + lookups (sink %d)", sink).isLessThan(1024);
      }
    }
  }
}
