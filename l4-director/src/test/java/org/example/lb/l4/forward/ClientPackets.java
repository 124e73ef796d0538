package org.example.lb.l4.forward;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.example.lb.l4.packet.TestPackets;

/** Client → VIP packets for forwarder tests, each in its own buffer at {@link TestPackets#HEADROOM}. */
final class ClientPackets {
  static final int SYN = 0x02;
  static final int ACK = 0x10;
  static final int FIN_ACK = 0x11;
  static final int RST = 0x04;
  static final int PSH_ACK = 0x18;

  private ClientPackets() {}

  static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** A TCP packet (IPv4 or IPv6 by the addresses' family) with {@code flags} and {@code payload} bytes of data. */
  static ByteBuffer tcp(String src, int srcPort, String dst, int dstPort, int flags, int payload) {
    return ip(src, dst, 6, TestPackets.tcp(srcPort, dstPort, flags, payload));
  }

  static ByteBuffer tcp(String src, int srcPort, String dst, int dstPort, int flags) {
    return tcp(src, srcPort, dst, dstPort, flags, 0);
  }

  static ByteBuffer udp(String src, int srcPort, String dst, int dstPort, int payload) {
    return ip(src, dst, 17, TestPackets.udp(srcPort, dstPort, payload));
  }

  static ByteBuffer ip(String src, String dst, int protocol, byte[] l4) {
    byte[] s = address(src);
    byte[] d = address(dst);
    byte[] packet;
    if (s.length == 4) {
      TestPackets.Ipv4 p = new TestPackets.Ipv4().payload(protocol, l4);
      p.src = s;
      p.dst = d;
      packet = p.build();
    } else {
      TestPackets.Ipv6 p = new TestPackets.Ipv6().payload(protocol, l4);
      p.src = s;
      p.dst = d;
      packet = p.build();
    }
    return TestPackets.inBuffer(packet);
  }

  /** The packet's length (the buffer's limit minus the headroom). */
  static int length(ByteBuffer packet) {
    return packet.limit() - TestPackets.HEADROOM;
  }
}
