package org.example.lb.l4.nativeio;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IP packets for the tests (the packet codecs live in another package; these stay minimal). */
final class Packets {
  private Packets() {}

  /** An IPv4/UDP packet with a valid header checksum and UDP checksum 0 (allowed over IPv4). */
  static byte[] ipv4Udp(String source, String destination, int sourcePort, int destinationPort, byte[] payload)
      throws Exception {
    int length = 20 + 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) 0x1234).putShort((short) 0x4000)
        .put((byte) 64).put((byte) 17).putShort((short) 0)
        .put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
    b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
        .putShort((short) 0).put(payload);
    byte[] packet = b.array();
    int checksum = checksum(packet, 0, 20);
    packet[10] = (byte) (checksum >>> 8);
    packet[11] = (byte) checksum;
    return packet;
  }

  /** An IPv4 header (checksum left 0: with IP_HDRINCL the kernel fills it in) for a payload of {@code length}. */
  static byte[] ipv4Header(String source, String destination, int protocol, int ttl, int id, int payloadLength)
      throws Exception {
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payloadLength)).putShort((short) id)
        .putShort((short) 0x4000).put((byte) ttl).put((byte) protocol).putShort((short) 0)
        .put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
    return b.array();
  }

  /** An IPv6 packet with next header {@code nextHeader}, carrying {@code payload}. */
  static byte[] ipv6(String source, String destination, int nextHeader, int hopLimit, byte[] payload)
      throws Exception {
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) hopLimit)
        .put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress())
        .put(payload);
    return b.array();
  }

  static int checksum(byte[] data, int offset, int length) {
    long sum = 0;
    for (int i = 0; i < length; i += 2) {
      sum += ((data[offset + i] & 0xff) << 8) | (i + 1 < length ? data[offset + i + 1] & 0xff : 0);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
