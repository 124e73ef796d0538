package org.example.lb.l4.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built packets for the endpoint tests: inner UDP/TCP packets and the outer headers a director adds. */
final class TunnelPackets {
  static final int TCP_SYN = 0x02;
  static final int TCP_ACK = 0x10;

  private TunnelPackets() {}

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** An IPv4 or IPv6 UDP packet (family of the addresses) with valid checksums. */
  static byte[] udp(String source, String destination, int sourcePort, int destinationPort, byte[] payload) {
    ByteBuffer l4 = ByteBuffer.allocate(8 + payload.length);
    l4.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
        .putShort((short) 0).put(payload);
    return ip(source, destination, 17, l4.array(), 6);
  }

  /** A TCP SYN with sequence number {@code seq}, valid checksums, an MSS option of 1400. */
  static byte[] tcpSyn(String source, String destination, int sourcePort, int destinationPort, int seq) {
    ByteBuffer l4 = ByteBuffer.allocate(24);
    l4.putShort((short) sourcePort).putShort((short) destinationPort).putInt(seq).putInt(0)
        .put((byte) 0x60).put((byte) TCP_SYN).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
        .put((byte) 2).put((byte) 4).putShort((short) 1400);
    return ip(source, destination, 6, l4.array(), 16);
  }

  /** An IP packet around {@code l4} with the L4 checksum (at {@code checksumOffset}) filled in. */
  private static byte[] ip(String source, String destination, int protocol, byte[] l4, int checksumOffset) {
    InetAddress src = ip(source);
    InetAddress dst = ip(destination);
    long sum = sum(src.getAddress(), 0, src.getAddress().length, 0);
    sum = sum(dst.getAddress(), 0, dst.getAddress().length, sum);
    sum += protocol + l4.length;
    int checksum = finish(sum(l4, 0, l4.length, sum));
    if (checksum == 0 && protocol == 17) {
      checksum = 0xffff;
    }
    l4[checksumOffset] = (byte) (checksum >>> 8);
    l4[checksumOffset + 1] = (byte) checksum;
    return src instanceof Inet4Address ? ipv4(src, dst, protocol, l4) : ipv6(src, dst, protocol, l4);
  }

  /** An IPv4 packet (valid header checksum, DF, TTL 64) carrying {@code payload}. */
  static byte[] ipv4(InetAddress source, InetAddress destination, int protocol, byte[] payload) {
    int length = 20 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) 0x1234).putShort((short) 0x4000)
        .put((byte) 64).put((byte) protocol).putShort((short) 0)
        .put(source.getAddress()).put(destination.getAddress()).put(payload);
    byte[] packet = b.array();
    int checksum = finish(sum(packet, 0, 20, 0));
    packet[10] = (byte) (checksum >>> 8);
    packet[11] = (byte) checksum;
    return packet;
  }

  /** An IPv6 packet (hop limit 64) carrying {@code payload}. */
  static byte[] ipv6(InetAddress source, InetAddress destination, int nextHeader, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x6000_0000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64)
        .put(source.getAddress()).put(destination.getAddress()).put(payload);
    return b.array();
  }

  /** {@code inner} behind an outer header from {@code source} to {@code destination} (protocol 4 or 41 by version). */
  static byte[] encapsulate(String source, String destination, byte[] inner) {
    int protocol = (inner[0] >> 4 & 0xf) == 6 ? 41 : 4;
    InetAddress src = ip(source);
    InetAddress dst = ip(destination);
    return src instanceof Inet4Address ? ipv4(src, dst, protocol, inner) : ipv6(src, dst, protocol, inner);
  }

  /** An ICMP echo request (type 8) with {@code id}, checksum included. */
  static byte[] icmpEcho(int id) {
    byte[] m = ByteBuffer.allocate(16).put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id)
        .putShort((short) 1).putLong(0x0123_4567_89ab_cdefL).array();
    int checksum = finish(sum(m, 0, m.length, 0));
    m[2] = (byte) (checksum >>> 8);
    m[3] = (byte) checksum;
    return m;
  }

  /** An ICMPv6 echo request (type 128); the kernel fills the checksum of ICMPv6 raw sockets. */
  static byte[] icmpv6Echo(int id) {
    return ByteBuffer.allocate(16).put((byte) 128).put((byte) 0).putShort((short) 0).putShort((short) id)
        .putShort((short) 1).putLong(0x0123_4567_89ab_cdefL).array();
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static long u32(byte[] b, int at) {
    return (long) u16(b, at) << 16 | u16(b, at + 2);
  }

  private static long sum(byte[] data, int offset, int length, long sum) {
    for (int i = 0; i < length; i += 2) {
      sum += ((data[offset + i] & 0xff) << 8) | (i + 1 < length ? data[offset + i + 1] & 0xff : 0);
    }
    return sum;
  }

  private static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
