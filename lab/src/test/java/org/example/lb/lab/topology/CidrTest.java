package org.example.lb.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void parsesAndPrintsAsIpDoes() {
    assertThat(Cidr.parse("2001:db8:0:3:0:0:0:71/64").orElseThrow().toString()).isEqualTo("2001:db8:0:3::71/64");
    assertThat(Cidr.parse("2001:db8::198.51.100.1").orElseThrow().toString()).isEqualTo("2001:db8::c633:6401/128");
    assertThat(Cidr.parse("192.0.2.0/33")).isEmpty();
    assertThat(Cidr.parse("example.com/24")).isEmpty();
    assertThat(Cidr.parse("192.0.2.0/x")).isEmpty();
  }

  @Test
  void hostAtStaysInsideThePrefix() {
    Cidr fabric = Cidr.parse("192.0.2.64/26").orElseThrow();
    assertThat(fabric.hostAt(BigInteger.valueOf(7)).orElseThrow().toString()).isEqualTo("192.0.2.71/26");
    assertThat(fabric.hostAt(BigInteger.valueOf(64))).isEmpty();
    assertThat(fabric.contains(Cidr.parse("192.0.2.127").orElseThrow().address())).isTrue();
    assertThat(fabric.contains(Cidr.parse("192.0.2.128").orElseThrow().address())).isFalse();
  }

  @Test
  void coverSplitsARangeIntoAlignedPrefixes() throws Exception {
    assertThat(Cidr.cover(InetAddress.getByName("2001:db8::cb00:7101"), 200)).extracting(Cidr::toString)
        .startsWith("2001:db8::cb00:7101/128", "2001:db8::cb00:7102/127")
        .endsWith("2001:db8::cb00:71c8/128");
    assertThat(Cidr.cover(InetAddress.getByName("192.0.2.0"), 256)).extracting(Cidr::toString)
        .containsExactly("192.0.2.0/24");
  }
}
