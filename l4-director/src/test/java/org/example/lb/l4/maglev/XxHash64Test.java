package org.example.lb.l4.maglev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class XxHash64Test {
  private static long xxh64(String s, long seed) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return XxHash64.hash(b, 0, b.length, seed);
  }

  @Test
  void matchesPublishedTestVectors() {
    assertThat(xxh64("", 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(xxh64("a", 0)).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(xxh64("abc", 0)).isEqualTo(0x44BC2CF5AD770999L);
    // python-xxhash's README example (39 bytes: a 32-byte stripe, a 4-byte and 3 single-byte tails).
    assertThat(xxh64("Nobody inspects the spammish repetition", 0)).isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Test
  void seedChangesTheHash() {
    assertThat(xxh64("lb7-a", MaglevTable.SKIP_SEED)).isNotEqualTo(xxh64("lb7-a", MaglevTable.OFFSET_SEED));
  }

  @Test
  void honoursOffsetAndLength() {
    byte[] padded = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    assertThat(XxHash64.hash(padded, 2, 3, 0)).isEqualTo(0x44BC2CF5AD770999L);
  }

  @Test
  void laneFormsEqualTheByteFormOverLittleEndianLanes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1000; i++) {
      long seed = random.nextLong();
      long[] v = random.longs(5).toArray();
      ByteBuffer buf = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
      for (long x : v) {
        buf.putLong(x);
      }
      byte[] b = buf.array();
      assertThat(XxHash64.hash(v[0], seed)).isEqualTo(XxHash64.hash(b, 0, 8, seed));
      assertThat(XxHash64.hash(v[0], v[1], seed)).isEqualTo(XxHash64.hash(b, 0, 16, seed));
      assertThat(XxHash64.hash(v[0], v[1], v[2], v[3], v[4], seed)).isEqualTo(XxHash64.hash(b, 0, 40, seed));
    }
  }
}
