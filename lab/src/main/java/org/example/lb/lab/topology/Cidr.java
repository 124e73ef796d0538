package org.example.lb.lab.topology;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.Addresses;

/**
 * An IPv4 or IPv6 prefix such as {@code 192.0.2.64/26}. {@link #address()} may carry host bits
 * (an interface address such as {@code 192.0.2.71/26}); {@link #network()} masks them.
 */
public record Cidr(InetAddress address, int prefixLength) {
  public Cidr {
    int bits = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " (expected: 0-" + bits + ")");
    }
  }

  /** Parses {@code ADDRESS/LENGTH}; a bare address is a host prefix (/32 or /128). */
  public static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> address = Addresses.parseLiteral(addressText.trim());
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get() instanceof Inet4Address ? 32 : 128;
    int length = bits;
    if (slash >= 0) {
      String lengthText = text.substring(slash + 1).trim();
      if (!lengthText.matches("\\d{1,3}")) {
        return Optional.empty();
      }
      length = Integer.parseInt(lengthText);
      if (length > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(address.get(), length));
  }

  /** A host prefix: /32 or /128. */
  public static Cidr host(InetAddress address) {
    return new Cidr(address, bitsOf(address));
  }

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** 32 or 128. */
  public int bits() {
    return bitsOf(address);
  }

  /** The prefix with host bits cleared. */
  public Cidr network() {
    return new Cidr(toAddress(toNumber(address).and(mask()), bits()), prefixLength);
  }

  /** True when the host bits of {@link #address()} are zero. */
  public boolean isNetwork() {
    return toNumber(address).and(mask().not()).signum() == 0;
  }

  public boolean contains(InetAddress candidate) {
    if (bitsOf(candidate) != bits()) {
      return false;
    }
    return toNumber(candidate).and(mask()).equals(toNumber(address).and(mask()));
  }

  /** Number of host bits. */
  public int hostBits() {
    return bits() - prefixLength;
  }

  /**
   * The address at {@code offset} from the network address, as an interface address of this
   * prefix, or empty when it falls outside the prefix.
   */
  public Optional<Cidr> hostAt(BigInteger offset) {
    if (offset.signum() < 0 || offset.bitLength() > hostBits()) {
      return Optional.empty();
    }
    BigInteger value = toNumber(network().address).add(offset);
    return Optional.of(new Cidr(toAddress(value, bits()), prefixLength));
  }

  /** The offset of {@link #address()} from the network address. */
  public BigInteger hostOffset() {
    return toNumber(address).and(mask().not());
  }

  /** {@code address/length} in the form ip(8) prints. */
  @Override
  public String toString() {
    return Addresses.toText(address) + "/" + prefixLength;
  }

  /** The address alone, in the form ip(8) prints. */
  public String addressText() {
    return Addresses.toText(address);
  }

  /**
   * The fewest prefixes that cover exactly {@code count} consecutive addresses starting at
   * {@code first} (so a range 203.0.113.1-200 becomes .1/32, .2/31, .4/30 ... .200/32).
   */
  public static List<Cidr> cover(InetAddress first, int count) {
    int bits = bitsOf(first);
    List<Cidr> out = new ArrayList<>();
    BigInteger start = toNumber(first);
    BigInteger end = start.add(BigInteger.valueOf(count));
    BigInteger limit = BigInteger.ONE.shiftLeft(bits);
    if (end.compareTo(limit) > 0) {
      throw new IllegalArgumentException("range runs past the end of the address space");
    }
    while (start.compareTo(end) < 0) {
      int size = start.signum() == 0 ? bits : start.getLowestSetBit();
      while (size > 0 && start.add(BigInteger.ONE.shiftLeft(size)).compareTo(end) > 0) {
        size--;
      }
      out.add(new Cidr(toAddress(start, bits), bits - size));
      start = start.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** The {@code index}-th address after {@code first} (index 0 is {@code first}). */
  public static InetAddress add(InetAddress first, long index) {
    return toAddress(toNumber(first).add(BigInteger.valueOf(index)), bitsOf(first));
  }

  private BigInteger mask() {
    BigInteger all = BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits()).subtract(BigInteger.ONE);
    return all.xor(hostMask);
  }

  private static int bitsOf(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  static BigInteger toNumber(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  static InetAddress toAddress(BigInteger value, int bits) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bits / 8];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
    }
  }
}
