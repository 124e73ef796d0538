package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A raw IP socket ({@code SOCK_RAW}) for one IP protocol, e.g. 4 (IPv4-in-IP) or 41 (IPv6-in-IP).
 *
 * <p><b>IPv4</b> ({@link #ipv4(int)}): on send the kernel builds the outer IPv4 header (source chosen by routing)
 * unless {@link #setHeaderIncluded(boolean) IP_HDRINCL} is on, in which case the buffer starts with our own IPv4
 * header; the kernel still rewrites the total length and the header checksum, and fills in a zero identification
 * and a zero source address. On receive the buffer always starts with the IPv4 header of the received packet.
 *
 * <p><b>IPv6</b> ({@link #ipv6(int)}): the IPv6 header is never delivered on receive (the buffer starts with the
 * payload, e.g. the inner packet for protocol 41). On send the kernel builds the header unless IPV6_HDRINCL (Linux
 * 4.5+; works on this project's kernel) is on, in which case the buffer is a complete IPv6 packet sent as given.
 *
 * <p>The socket lives in the network namespace of the thread that created it. Used by one thread at a time, and
 * closed only after that thread stopped using it (close does not wake a blocked receive: worker loops wait with
 * {@link #awaitReadable(int)} and a timeout). {@link #sendTo} and {@link #receive} allocate nothing. Buffers must
 * be native memory (Arena-allocated or direct); for headroom, slice once outside the loop, as slicing per call
 * allocates.
 *
 * <p>Every raw socket of a protocol receives a copy of each packet of that protocol delivered to the host, so a
 * send-only protocol-4 socket would fill its receive queue for nothing. A sender that builds its own outer header
 * should use {@link #IPPROTO_RAW} instead ({@code ipv4(IPPROTO_RAW)} / {@code ipv6(IPPROTO_RAW)}): such a socket
 * never receives, and implies header-included mode (IPv6: since Linux 4.5); the protocol comes from the header.

 */
public final class RawSocket extends DescriptorChannel {
  /** IP protocol number of IPv4-in-IP (IPIP). */
  public static final int IPPROTO_IPIP = 4;
  /** IP protocol number of IPv6-in-IP. */
  public static final int IPPROTO_IPV6 = 41;
  /** Send-only raw socket whose buffers always start with our own IP header (the protocol is taken from it). */
  public static final int IPPROTO_RAW = 255;

  private static final Throwable UNAVAILABILITY_CAUSE = Libc.unavailabilityCause();

  private final boolean ipv6;
  private final int protocol;
  private final MemorySegment intScratch;

  private RawSocket(Descriptor descriptor, boolean ipv6, int protocol) {
    super(descriptor);
    this.ipv6 = ipv6;
    this.protocol = protocol;
    this.intScratch = descriptor.arena().allocate(8, 8); // option value + length for get/setsockopt
  }

  /** Whether raw sockets can be used (libc linked); creating one also needs CAP_NET_RAW. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why {@link #isAvailable()} is false, or {@code null}. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** An AF_INET raw socket for IP protocol {@code protocol} (blocking; EPERM without CAP_NET_RAW). */
  public static RawSocket ipv4(int protocol) throws NativeIoException {
    return open(false, protocol);
  }

  /** An AF_INET6 raw socket for IP protocol {@code protocol} (blocking; EPERM without CAP_NET_RAW). */
  public static RawSocket ipv6(int protocol) throws NativeIoException {
    return open(true, protocol);
  }

  private static RawSocket open(boolean ipv6, int protocol) throws NativeIoException {
    Libc.ensureAvailable();
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol: " + protocol + " (expected: 0..255)");
    }
    String name = (ipv6 ? "raw6" : "raw4") + "/" + protocol;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      int fd = (int) Libc.SOCKET.invokeExact(state, ipv6 ? Libc.AF_INET6 : Libc.AF_INET,
          Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
      if (fd < 0) {
        throw Libc.failure("socket(" + name + ")", Libc.errno(state));
      }
      return new RawSocket(new Descriptor(fd, name), ipv6, protocol);
    } catch (NativeIoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
  }

  /** The IP protocol this socket sends and receives. */
  public int protocol() {
    return protocol;
  }

  /** Whether this is an AF_INET6 socket. */
  public boolean isIpv6() {
    return ipv6;
  }

  /**
   * Sends {@code buffer[0, length)} to {@code destination} (of this socket's family).
   *
   * @return bytes sent, or -1 when the kernel had no room (EAGAIN in non-blocking mode, ENOBUFS): a drop to count;
   *     {@link #lastErrno()} says which
   * @throws NativeIoException e.g. EMSGSIZE above the path MTU, ENETUNREACH, EINVAL for a bad own header
   */
  public int sendTo(MemorySegment buffer, int length, SockAddr destination) throws NativeIoException {
    if (destination.isIpv6() != ipv6) {
      throw new IllegalArgumentException("destination: " + destination + " (expected: an "
          + (ipv6 ? "IPv6" : "IPv4") + " address for " + descriptor.name() + ")");
    }
    if (length < 0 || length > buffer.byteSize()) {
      throw new IndexOutOfBoundsException("length " + length + " of a " + buffer.byteSize() + "-byte buffer");
    }
    descriptor.ensureOpen();
    MemorySegment state = descriptor.callState();
    while (true) {
      long n;
      try {
        n = (long) Libc.SENDTO.invokeExact(state, descriptor.fd(), buffer, (long) length, 0,
            destination.segment(), destination.length());
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
      if (n >= 0) {
        return (int) n;
      }
      if (descriptor.remember("sendto " + destination, Libc.errno(state)) < 0) {
        return -1;
      }
    }
  }

  /** As {@link #sendTo(MemorySegment, int, SockAddr)} from a direct buffer's position to its limit. */
  public int sendTo(ByteBuffer buffer, SockAddr destination) throws NativeIoException {
    MemorySegment segment = MemorySegment.ofBuffer(TunDevice.requireDirect(buffer));
    int n = sendTo(segment, (int) segment.byteSize(), destination);
    if (n > 0) {
      buffer.position(buffer.position() + n);
    }
    return n;
  }

  /**
   * Receives one packet into {@code buffer} (truncated to its size). For IPv4 the data starts with the IPv4 header;
   * for IPv6 with the payload after the IPv6 header.
   *
   * @return the length received, or -1 in non-blocking mode when nothing is queued
   */
  public int receive(MemorySegment buffer) throws NativeIoException {
    return receive(buffer, MemorySegment.NULL, MemorySegment.NULL);
  }

  /**
   * Receives one packet into {@code buffer} and stores the sender's address (the outer source) in {@code source};
   * returns as {@link #receive(MemorySegment)} (on -1 {@code source} is not set).
   */
  public int receive(MemorySegment buffer, SourceAddress source) throws NativeIoException {
    source.reset();
    return receive(buffer, source.storage(), source.lengthPointer());
  }

  private int receive(MemorySegment buffer, MemorySegment address, MemorySegment addressLength)
      throws NativeIoException {
    descriptor.ensureOpen();
    MemorySegment state = descriptor.callState();
    while (true) {
      long n;
      try {
        n = (long) Libc.RECVFROM.invokeExact(state, descriptor.fd(), buffer, buffer.byteSize(), 0,
            address, addressLength);
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
      if (n >= 0) {
        return (int) n;
      }
      if (descriptor.remember("recvfrom", Libc.errno(state)) < 0) {
        return -1;
      }
    }
  }

  /** Waits up to {@code timeoutMillis} for room to send; false on timeout. */
  public boolean awaitWritable(int timeoutMillis) throws NativeIoException {
    return (descriptor.poll(Libc.POLLOUT, timeoutMillis) & Libc.POLLOUT) != 0;
  }

  /**
   * IP_HDRINCL (IPv4) or IPV6_HDRINCL (IPv6): whether sent buffers start with our own IP header. Off by default.
   *
   * @throws NativeIoException ENOPROTOOPT where the kernel lacks IPV6_HDRINCL (before Linux 4.5)
   */
  public void setHeaderIncluded(boolean included) throws NativeIoException {
    setIntOption(ipv6 ? Libc.IPPROTO_IPV6 : Libc.IPPROTO_IP, ipv6 ? Libc.IPV6_HDRINCL : Libc.IP_HDRINCL,
        included ? 1 : 0, ipv6 ? "IPV6_HDRINCL" : "IP_HDRINCL");
  }

  /** Whether IP_HDRINCL / IPV6_HDRINCL is on. */
  public boolean isHeaderIncluded() throws NativeIoException {
    return getIntOption(ipv6 ? Libc.IPPROTO_IPV6 : Libc.IPPROTO_IP, ipv6 ? Libc.IPV6_HDRINCL : Libc.IP_HDRINCL,
        ipv6 ? "IPV6_HDRINCL" : "IP_HDRINCL") != 0;
  }

  /** SO_RCVBUF: asks for {@code bytes} (the kernel doubles it and caps it at net.core.rmem_max). */
  public void setReceiveBufferSize(int bytes) throws NativeIoException {
    setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes, "SO_RCVBUF");
  }

  /** SO_RCVBUF as the kernel reports it (twice the requested size, for its bookkeeping). */
  public int receiveBufferSize() throws NativeIoException {
    return getIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, "SO_RCVBUF");
  }

  /** SO_SNDBUF: asks for {@code bytes} (doubled, capped at net.core.wmem_max). */
  public void setSendBufferSize(int bytes) throws NativeIoException {
    setIntOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, bytes, "SO_SNDBUF");
  }

  /** SO_SNDBUF as the kernel reports it. */
  public int sendBufferSize() throws NativeIoException {
    return getIntOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, "SO_SNDBUF");
  }

  /** SO_BINDTODEVICE: only packets of interface {@code device} are received and sends leave through it. */
  public void bindToDevice(String device) throws NativeIoException {
    byte[] bytes = device.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length == 0 || bytes.length >= Libc.IFNAMSIZ) {
      throw new IllegalArgumentException("device: " + device + " (expected: 1 to 15 ASCII characters)");
    }
    descriptor.ensureOpen();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocateFrom(device, StandardCharsets.US_ASCII);
      int rc = (int) Libc.SETSOCKOPT.invokeExact(descriptor.callState(), descriptor.fd(), Libc.SOL_SOCKET,
          Libc.SO_BINDTODEVICE, value, (int) value.byteSize());
      if (rc < 0) {
        throw Libc.failure("setsockopt(SO_BINDTODEVICE, " + device + ") " + descriptor.name(),
            Libc.errno(descriptor.callState()));
      }
    } catch (NativeIoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
  }

  private void setIntOption(int level, int option, int value, String optionName) throws NativeIoException {
    descriptor.ensureOpen();
    intScratch.set(JAVA_INT, 0, value);
    int rc;
    try {
      rc = (int) Libc.SETSOCKOPT.invokeExact(descriptor.callState(), descriptor.fd(), level, option,
          intScratch, 4);
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    if (rc < 0) {
      throw Libc.failure("setsockopt(" + optionName + ", " + value + ") " + descriptor.name(),
          Libc.errno(descriptor.callState()));
    }
  }

  private int getIntOption(int level, int option, String optionName) throws NativeIoException {
    descriptor.ensureOpen();
    intScratch.set(JAVA_INT, 0, 0);
    intScratch.set(JAVA_INT, 4, 4);
    int rc;
    try {
      rc = (int) Libc.GETSOCKOPT.invokeExact(descriptor.callState(), descriptor.fd(), level, option,
          intScratch, intScratch.asSlice(4, 4));
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    if (rc < 0) {
      throw Libc.failure("getsockopt(" + optionName + ") " + descriptor.name(), Libc.errno(descriptor.callState()));
    }
    return intScratch.get(JAVA_INT, 0);
  }

  @Override
  public String toString() {
    return descriptor.name();
  }
}
