package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.example.lb.common.nativecall.Downcalls;

/**
 * Downcall handles for the few libc functions the data plane needs, each resolved once. Every handle that can fail
 * takes a leading call-state segment (see {@link #newCallState}) in which the linker stores {@code errno} right after
 * the call, so errno cannot be clobbered by the JVM in between. Callers preallocate that segment (one per queue or
 * socket) so the hot path allocates nothing.
 *
 * <p>Linking happens in a static initializer that never throws: when it fails (no native access, not Linux, a
 * missing symbol) {@link #unavailabilityCause()} says why and every handle is {@code null}.
 */
final class Libc {
  // Linux x86_64/aarch64 constants (asm-generic values; both architectures agree on these).
  static final int O_RDWR = 2;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_BINDTODEVICE = 25;
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_IPV6 = 41;
  static final int IP_HDRINCL = 3;
  static final int IPV6_HDRINCL = 36;
  static final short POLLIN = 0x1;
  static final short POLLOUT = 0x4;
  static final int IFNAMSIZ = 16;
  static final long IFREQ_SIZE = 40;
  static final long TUNSETIFF = 0x400454caL;
  static final long TUNSETQUEUE = 0x400454d9L;
  static final short IFF_ATTACH_QUEUE = 0x0200;
  static final short IFF_DETACH_QUEUE = 0x0400;
  static final long SIOCGIFMTU = 0x8921L;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_MULTI_QUEUE = 0x0100;


  static final MethodHandle OPEN; // int open(const char*, int, ...) -- called with 2 args
  static final MethodHandle CLOSE; // int close(int)
  static final MethodHandle IOCTL_PTR; // int ioctl(int, unsigned long, void*)
  static final MethodHandle READ; // ssize_t read(int, void*, size_t)
  static final MethodHandle WRITE; // ssize_t write(int, const void*, size_t)
  static final MethodHandle SOCKET; // int socket(int, int, int)
  static final MethodHandle SENDTO; // ssize_t sendto(int, const void*, size_t, int, const sockaddr*, socklen_t)
  static final MethodHandle RECVFROM; // ssize_t recvfrom(int, void*, size_t, int, sockaddr*, socklen_t*)
  static final MethodHandle SETSOCKOPT; // int setsockopt(int, int, int, const void*, socklen_t)
  static final MethodHandle GETSOCKOPT; // int getsockopt(int, int, int, void*, socklen_t*)
  static final MethodHandle POLL; // int poll(struct pollfd*, nfds_t, int)
  static final MethodHandle FCNTL_INT; // int fcntl(int, int, int)
  private static final Throwable UNAVAILABILITY_CAUSE;

  static {
    MethodHandle open = null, close = null, ioctl = null, read = null, write = null, socket = null,
        sendto = null, recvfrom = null, setsockopt = null, getsockopt = null, poll = null, fcntl = null;
    Throwable cause = null;
    try {
      Downcalls.requireLinux();
      Linker.Option errno = Downcalls.CAPTURE_ERRNO;
      open = Downcalls.libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
          errno, Linker.Option.firstVariadicArg(2));
      close = Downcalls.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
      ioctl = Downcalls.libc("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          errno, Linker.Option.firstVariadicArg(2));
      read = Downcalls.libc("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
      write = Downcalls.libc("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
      socket = Downcalls.libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
      sendto = Downcalls.libc("sendto",
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), errno);
      recvfrom = Downcalls.libc("recvfrom",
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), errno);
      setsockopt = Downcalls.libc("setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
      getsockopt = Downcalls.libc("getsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
      poll = Downcalls.libc("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
      fcntl = Downcalls.libc("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
          errno, Linker.Option.firstVariadicArg(2));
    } catch (Throwable t) {
      cause = t;
      open = close = ioctl = read = write = socket = sendto = recvfrom = setsockopt = getsockopt = poll = fcntl = null;
    }
    OPEN = open;
    CLOSE = close;
    IOCTL_PTR = ioctl;
    READ = read;
    WRITE = write;
    SOCKET = socket;
    SENDTO = sendto;
    RECVFROM = recvfrom;
    SETSOCKOPT = setsockopt;
    GETSOCKOPT = getsockopt;
    POLL = poll;
    FCNTL_INT = fcntl;
    UNAVAILABILITY_CAUSE = cause;
  }

  private Libc() {}

  /** Whether every handle linked. */
  static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why linking failed, or {@code null} when {@link #isAvailable()}. */
  static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** Throws an {@link UnsupportedOperationException} carrying the cause when libc could not be linked. */
  static void ensureAvailable() {
    if (UNAVAILABILITY_CAUSE != null) {
      throw new UnsupportedOperationException("native I/O unavailable: " + UNAVAILABILITY_CAUSE,
          UNAVAILABILITY_CAUSE);
    }
  }

  /** A call-state segment for the handles above; allocate once per owner, never per call. */
  static MemorySegment newCallState(Arena arena) {
    return Downcalls.newCallState(arena);
  }

  /** The errno the last call through a handle stored into {@code callState}. */
  static int errno(MemorySegment callState) {
    return Downcalls.errno(callState);
  }

  /** strerror(3) of {@code errno}; for error messages only. */
  static String strerror(int errno) {
    return Downcalls.strerror(errno);
  }

  static RuntimeException rethrow(Throwable t) {
    return Downcalls.rethrow(t);
  }

  /** The given error as an exception naming the operation, e.g. "open /dev/net/tun: ENOENT (No such file...)". */
  static NativeIoException failure(String operation, int errno) {
    return new NativeIoException(operation, Errno.valueOf(errno));
  }
}
