package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import org.example.lb.common.config.Addresses;

/**
 * A native socket address ({@code sockaddr_in} or {@code sockaddr_in6}) built once per destination (e.g. per LB7)
 * so that {@link RawSocket#sendTo} needs no per-packet conversion or allocation. The port is 0: raw sockets have
 * none. Immutable; the memory lives as long as this object (GC-managed).
 */
public final class SockAddr {
  private static final int SOCKADDR_IN_SIZE = 16;
  private static final int SOCKADDR_IN6_SIZE = 28;

  private final InetAddress address;
  private final MemorySegment segment;

  private SockAddr(InetAddress address, MemorySegment segment) {
    this.address = address;
    this.segment = segment;
  }

  /** The sockaddr for {@code address}; an IPv6 scope id (link-local) is kept. */
  public static SockAddr of(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      MemorySegment s = Arena.ofAuto().allocate(SOCKADDR_IN_SIZE, 8);
      s.set(JAVA_SHORT, 0, (short) Libc.AF_INET); // sin_family (host order); sin_port 0
      MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 4, 4); // sin_addr, network order
      return new SockAddr(address, s);
    }
    if (address instanceof Inet6Address v6) {
      MemorySegment s = Arena.ofAuto().allocate(SOCKADDR_IN6_SIZE, 8);
      s.set(JAVA_SHORT, 0, (short) Libc.AF_INET6); // sin6_family; sin6_port 0; sin6_flowinfo 0
      MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 8, 16); // sin6_addr
      s.set(JAVA_INT.withOrder(ByteOrder.nativeOrder()), 24, v6.getScopeId()); // sin6_scope_id
      return new SockAddr(address, s);
    }
    throw new IllegalArgumentException("address: " + address + " (expected: IPv4 or IPv6)");
  }

  /** The Java address this was built from. */
  public InetAddress address() {
    return address;
  }

  /** Whether this is an IPv6 address. */
  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  MemorySegment segment() {
    return segment;
  }

  int length() {
    return (int) segment.byteSize();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SockAddr other && address.equals(other.address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return Addresses.toText(address);
  }
}
