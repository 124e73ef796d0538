package org.example.lb.bgp.gobgp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import org.example.lb.common.config.Addresses;

/**
 * An IPv4 or IPv6 unicast prefix: a network address and a length, with no address bits set past the length.
 *
 * @param address the network address
 * @param length the prefix length (0..32 or 0..128)
 */
public record Prefix(InetAddress address, int length) {
  public Prefix {
    Objects.requireNonNull(address, "address");
    int bits = bits(address);
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("length: " + length + " (expected: 0.." + bits + ")");
    }
    byte[] bytes = address.getAddress();
    for (int bit = length; bit < bits; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(Addresses.toText(address) + "/" + length
            + " (expected: a network address, no bits set past /" + length + ")");
      }
    }
  }

  /** A host prefix: /32 or /128. */
  public static Prefix host(InetAddress address) {
    return new Prefix(address, bits(address));
  }

  /**
   * Parses CIDR notation; a bare address is a host prefix.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Prefix parse(String text) {
    int slash = text.indexOf('/');
    InetAddress address = Addresses.parseLiteral(slash < 0 ? text : text.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException(text + " (expected: ADDRESS/LENGTH with an IP literal)"));
    if (slash < 0) {
      return host(address);
    }
    String l = text.substring(slash + 1);
    if (!l.matches("\\d{1,3}") || Integer.parseInt(l) > bits(address)) {
      throw new IllegalArgumentException(text + " (expected: ADDRESS/LENGTH with a length of 0.." + bits(address) + ")");
    }
    return new Prefix(address, Integer.parseInt(l));
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  private static int bits(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  @Override
  public String toString() {
    return Addresses.toText(address) + "/" + length;
  }
}
