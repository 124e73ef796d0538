package org.example.lb.l4.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncDatagramTest {
  private record Flow(long srcHi, long srcLo, long dstHi, long dstLo, int portPair, int protocol, String backend) {}

  private static final Flow V4 = new Flow(0, 0x0000_ffff_cb00_7101L, 0, 0x0000_ffff_c633_6401L, 40000 << 16 | 80, 6,
      "LB7-1");
  private static final Flow V6 = new Flow(0x2001_0db8_0000_0000L, 0xcb00_7101L, 0x2001_0db8_0000_0000L, 0xc633_6401L,
      (65535 << 16) | 443, 6, "LB7-Ω");

  private static ByteBuffer write(Flow... flows) {
    SyncDatagram.Writer w = new SyncDatagram.Writer();
    for (Flow f : flows) {
      byte[] name = f.backend().getBytes(StandardCharsets.UTF_8);
      assertThat(w.fits(name)).isTrue();
      w.add(f.srcHi(), f.srcLo(), f.dstHi(), f.dstLo(), f.portPair(), f.protocol(), name);
    }
    ByteBuffer out = w.finish();
    ByteBuffer copy = ByteBuffer.allocate(out.remaining()).put(out).flip();
    return copy;
  }

  private static List<Flow> read(ByteBuffer datagram, String[] problem) {
    List<Flow> out = new ArrayList<>();
    problem[0] = SyncDatagram.read(datagram, (a, b, c, d, pp, proto, backend) -> out.add(new Flow(a, b, c, d, pp, proto,
        backend)));
    return out;
  }

  @Test
  void recordsOfBothFamiliesRoundTrip() {
    String[] problem = new String[1];
    assertThat(read(write(V4, V6), problem)).containsExactly(V4, V6);
    assertThat(problem[0]).isNull();
  }

  @Test
  void aWriterSaysWhenTheDatagramIsFullAndStaysUnderTheLimit() {
    SyncDatagram.Writer w = new SyncDatagram.Writer();
    byte[] name = "LB7-1".getBytes(StandardCharsets.UTF_8);
    int n = 0;
    while (w.fits(name)) {
      w.add(1, 2, 3, 4, 5, 6, name);
      n++;
    }
    ByteBuffer out = w.finish();
    assertThat(n).isEqualTo((SyncDatagram.MAX_LENGTH - SyncDatagram.HEADER) / (SyncDatagram.RECORD_FIXED + 5));
    assertThat(out.remaining()).isLessThanOrEqualTo(SyncDatagram.MAX_LENGTH);
    assertThat(read(out, new String[1])).hasSize(n);
  }

  @Test
  void aBadDatagramIsRejectedWholeWithWhatWasWrong() {
    ByteBuffer good = write(V4, V6);
    assertThat(problem(ByteBuffer.wrap(new byte[] {0x4c}))).isEqualTo("a datagram of 1 bytes (expected: at least 4)");
    assertThat(problem(patched(good, 0, 0x47))).isEqualTo("magic 0x4746 (expected: 0x4c46)");
    assertThat(problem(patched(good, 2, 2))).isEqualTo("version 2 (expected: 1)");
    assertThat(problem(patched(good, 3, 0))).isEqualTo("0 records (expected: 1..255)");
    assertThat(problem(patched(good, 3, 3))).startsWith("record 2 cut short at 0 bytes");
    assertThat(problem(patched(good, 4, 17))).isEqualTo("record 0: protocol 17 (expected: 6, TCP)");
    assertThat(problem(patched(good, 5, 0))).isEqualTo("record 0: backend name of 0 bytes (expected: 1..64)");
    assertThat(problem(patched(good, 3, 1))).endsWith("bytes after 1 records (expected: none)");
    ByteBuffer cut = good.duplicate().limit(good.limit() - 2);
    assertThat(problem(cut)).isEqualTo("record 1 cut short in its backend name");
  }

  @Test
  void nothingOfABadDatagramIsHandedOn() {
    ByteBuffer good = write(V4, V6);
    String[] problem = new String[1];
    assertThat(read(good.duplicate().limit(good.limit() - 1), problem)).isEmpty();
    assertThat(problem[0]).isNotNull();
  }

  private static String problem(ByteBuffer datagram) {
    String[] problem = new String[1];
    read(datagram, problem);
    return problem[0];
  }

  private static ByteBuffer patched(ByteBuffer good, int at, int value) {
    ByteBuffer copy = ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
    copy.put(at, (byte) value);
    return copy;
  }
}
