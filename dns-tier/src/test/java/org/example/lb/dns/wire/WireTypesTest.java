package org.example.lb.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WireTypesTest {
  @Test
  void unknownCodesRoundTripAsValuesOfTheirOwn() {
    assertThat(Rcode.valueOf(3)).isSameAs(Rcode.NXDOMAIN);
    assertThat(Rcode.valueOf(23)).isEqualTo(new Rcode(23)).hasToString("RCODE23");
    assertThat(Rcode.BADVERS.headerBits()).isZero();
    assertThat(Rcode.BADVERS.extendedBits()).isEqualTo(1);
    assertThat(Opcode.valueOf(9).code()).isEqualTo(9);
    assertThat(Opcode.valueOf(9)).hasToString("OPCODE9");
    assertThat(RrType.valueOf(65280)).hasToString("TYPE65280").isEqualTo(new RrType(65280));
    assertThat(RrType.valueOf(28)).isSameAs(RrType.AAAA);
    assertThat(RrClass.valueOf(254)).hasToString("CLASS254");
  }

  @Test
  void wireNamesCompareWithoutCase() {
    assertThat(WireName.of("WWW.Example.COM.")).isEqualTo(WireName.of("www.example.com"));
    assertThat(WireName.of("a.b.example.com").isAtOrBelow(WireName.of("Example.com"))).isTrue();
    assertThat(WireName.of("aexample.com").isAtOrBelow(WireName.of("example.com"))).isFalse();
    assertThat(WireName.of("a.b.c").parent()).hasToString("b.c.");
  }

  @Test
  void aChunkDoesNotDependOnTheLengthOfTheQuestionItFollows() {
    // the SOA of example.com after questions of different lengths below the apex
    ChunkCompiler c = ChunkCompiler.below(WireName.of("example.com"));
    c.add(ChunkCompiler.Section.AUTHORITY, WireName.of("example.com"), 6, 1, 300,
        List.of(new ChunkCompiler.Name(WireName.of("ns1.example.com"), true),
            new ChunkCompiler.Name(WireName.of("hostmaster.example.com"), true),
            new ChunkCompiler.Bytes(new byte[20])));
    Chunk chunk = c.build(true, Rcode.NXDOMAIN);
    for (String qname : List.of("a.example.com", "a.much.longer.name.below.example.com")) {
      byte[] name = WireName.of(qname).wire();
      byte[] out = new byte[512];
      System.arraycopy(name, 0, out, 12, name.length);
      int end = chunk.writeTo(out, 12 + name.length + 4, name.length);
      int apex = 12 + name.length - WireName.of("example.com").length();
      int at = 12 + name.length + 4;
      assertThat(out[at] & 0xFF).isEqualTo(0xC0);
      assertThat(out[at + 1] & 0xFF).as("the owner points at the apex inside " + qname).isEqualTo(apex);
      assertThat(end - at).isEqualTo(chunk.length());
    }
  }
}
