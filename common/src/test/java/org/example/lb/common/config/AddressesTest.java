package org.example.lb.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void acceptsLiteralsOnlyNeverHostNames() {
    assertThat(Addresses.parseLiteral("192.0.2.1")).isPresent();
    assertThat(Addresses.parseLiteral("2001:db8::198.51.100.1")).isPresent();
    assertThat(Addresses.parseLiteral("::")).isPresent();
    assertThat(Addresses.parseLiteral("localhost")).isEmpty();
    assertThat(Addresses.parseLiteral("example.org")).isEmpty();
    assertThat(Addresses.parseLiteral("192.0.2.256")).isEmpty();
    assertThat(Addresses.parseLiteral("1.2.3")).isEmpty();
    assertThat(Addresses.parseLiteral("[::1]")).isEmpty();
    assertThat(Addresses.parseLiteral("")).isEmpty();
    assertThat(Addresses.parseLiteral(null)).isEmpty();
  }

  @Test
  void printsCompressedIpv6() {
    assertThat(Addresses.toText(Addresses.parseLiteral("2001:db8:0:0:0:0:0:1").orElseThrow())).isEqualTo("2001:db8::1");
    assertThat(Addresses.toText(Addresses.parseLiteral("2001:db8::198.51.100.1").orElseThrow()))
        .isEqualTo("2001:db8::c633:6401");
    assertThat(Addresses.toText(Addresses.parseLiteral("2001:db8:0:4::11").orElseThrow())).isEqualTo("2001:db8:0:4::11");
    assertThat(Addresses.toText(Addresses.parseLiteral("::").orElseThrow())).isEqualTo("::");
    assertThat(Addresses.toText(Addresses.parseLiteral("192.0.2.7").orElseThrow())).isEqualTo("192.0.2.7");
  }
}
