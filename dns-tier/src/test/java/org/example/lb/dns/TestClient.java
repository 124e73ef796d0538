package org.example.lb.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A DNS client for tests, asking a server on the loopback address (dns-tier or gdnsd) at a port: raw bytes over UDP or
 * TCP, dnsjava's resolver, and answers as text.
 */
public final class TestClient {
  private TestClient() {}

  /** A query without RD (an authoritative server's client), with an OPT record (payload 1232) when {@code edns}. */
  public static Message query(String name, int type, int dclass, boolean edns) {
    try {
      Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
      m.getHeader().unsetFlag(Flags.RD);
      if (edns) {
        m.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
      }
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #query(String, int, int, boolean)}, class IN. */
  public static Message query(String name, int type, boolean edns) {
    return query(name, type, DClass.IN, edns);
  }

  /** Sends {@code query} to 127.0.0.1:{@code port}; the response, or null when none came over UDP within 500 ms. */
  public static byte[] exchange(int port, byte[] query, boolean tcp) throws IOException {
    if (tcp) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(2000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] r = new byte[in.readUnsignedShort()];
        in.readFully(r);
        return r;
      }
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(500); // a dropped query: the server stays silent
      s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
      byte[] buf = new byte[65535];
      DatagramPacket r = new DatagramPacket(buf, buf.length);
      try {
        s.receive(r);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(buf, r.getLength());
    }
  }

  /** dnsjava's resolver for {@code server}:{@code port} (timeout 2 s; over TCP when {@code tcp}). */
  public static SimpleResolver resolver(InetAddress server, int port, boolean tcp) {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(server, port));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(2));
    return r;
  }

  /** Asks {@code server}:{@code port} through dnsjava's resolver (RD set, as dnsjava sends it). */
  public static Message ask(InetAddress server, int port, String name, int type, boolean tcp) throws IOException {
    return resolver(server, port, tcp).send(Message.newQuery(Record.newRecord(Name.fromString(name), type,
        DClass.IN)));
  }

  /** Asks 127.0.0.1:{@code port} over UDP. */
  public static Message ask(int port, String name, int type) throws IOException {
    return ask(InetAddress.getLoopbackAddress(), port, name, type, false);
  }

  /** The answer section's records of {@code type}, {@code TTL RDATA} each, sorted. */
  public static List<String> addresses(int port, String name, int type) {
    try {
      return ask(port, name, type).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type)
          .map(r -> r.getTTL() + " " + r.rdataToString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The serial of {@code zone}'s SOA. */
  public static long serial(int port, String zone) {
    try {
      return ((SOARecord) ask(port, zone, Type.SOA).getSection(Section.ANSWER).getFirst()).getSerial();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of {@code parts}, one after another. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
