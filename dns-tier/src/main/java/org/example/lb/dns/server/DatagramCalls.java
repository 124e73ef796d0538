package org.example.lb.dns.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.example.lb.common.nativecall.Downcalls;

/**
 * The Linux socket calls a {@link DatagramLoop} makes — socket, setsockopt, bind, getsockname, recvmmsg(2),
 * sendmmsg(2), shutdown, close — linked once through the Foreign Function &amp; Memory API. Every handle that can
 * fail takes a leading call-state segment ({@link #newCallState}) in which the linker stores {@code errno} right after
 * the call. Linking happens in a static initializer that never throws: when it fails (no native access, not Linux, a
 * missing symbol) {@link #unavailabilityCause()} says why and every handle is {@code null}.
 *
 * <p>The struct offsets below are those of Linux on 64-bit architectures (x86_64, aarch64): {@code struct mmsghdr} is
 * a {@code struct msghdr} (56 bytes) followed by {@code msg_len}, 64 bytes in all.
 */
final class DatagramCalls {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_REUSEPORT = 15;
  static final int IPPROTO_IPV6 = 41;
  static final int IPV6_V6ONLY = 26;
  static final int MSG_WAITFORONE = 0x10000;
  static final int SHUT_RD = 0;
  static final int EINTR = 4;

  // struct msghdr / struct mmsghdr / struct iovec (LP64)
  static final long MSG_NAME = 0;
  static final long MSG_NAMELEN = 8;
  static final long MSG_IOV = 16;
  static final long MSG_IOVLEN = 24;
  static final long MSG_LEN = 56;
  static final long MMSGHDR_SIZE = 64;
  static final long IOV_BASE = 0;
  static final long IOV_LEN = 8;
  static final long IOVEC_SIZE = 16;
  /** sizeof(struct sockaddr_in6), enough for a sockaddr_in too. */
  static final int SOCKADDR_SIZE = 28;

  static final MethodHandle SOCKET; // int socket(int, int, int)
  static final MethodHandle SETSOCKOPT; // int setsockopt(int, int, int, const void*, socklen_t)
  static final MethodHandle BIND; // int bind(int, const struct sockaddr*, socklen_t)
  static final MethodHandle GETSOCKNAME; // int getsockname(int, struct sockaddr*, socklen_t*)
  static final MethodHandle RECVMMSG; // int recvmmsg(int, struct mmsghdr*, unsigned, int, struct timespec*)
  static final MethodHandle SENDMMSG; // int sendmmsg(int, struct mmsghdr*, unsigned, int)
  static final MethodHandle SHUTDOWN; // int shutdown(int, int)
  static final MethodHandle CLOSE; // int close(int)
  private static final Throwable UNAVAILABILITY_CAUSE;

  static {
    MethodHandle socket = null, setsockopt = null, bind = null, getsockname = null, recvmmsg = null,
        sendmmsg = null, shutdown = null, close = null;
    Throwable cause = null;
    try {
      Downcalls.requireLinux();
      Linker.Option errno = Downcalls.CAPTURE_ERRNO;
      socket = Downcalls.libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
      setsockopt = Downcalls.libc("setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
      bind = Downcalls.libc("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
      getsockname = Downcalls.libc("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
      recvmmsg = Downcalls.libc("recvmmsg",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), errno);
      sendmmsg = Downcalls.libc("sendmmsg",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
      shutdown = Downcalls.libc("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
      close = Downcalls.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
    } catch (Throwable t) {
      cause = t;
      socket = setsockopt = bind = getsockname = recvmmsg = sendmmsg = shutdown = close = null;
    }
    SOCKET = socket;
    SETSOCKOPT = setsockopt;
    BIND = bind;
    GETSOCKNAME = getsockname;
    RECVMMSG = recvmmsg;
    SENDMMSG = sendmmsg;
    SHUTDOWN = shutdown;
    CLOSE = close;
    UNAVAILABILITY_CAUSE = cause;
  }

  private DatagramCalls() {}

  /** Whether every handle linked. */
  static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why linking failed, or {@code null} when {@link #isAvailable()}. */
  static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** A call-state segment for the handles above; one per owner, never one per call. */
  static MemorySegment newCallState(Arena arena) {
    return Downcalls.newCallState(arena);
  }

  /** The errno the last call through a handle stored into {@code callState}. */
  static int errno(MemorySegment callState) {
    return Downcalls.errno(callState);
  }

  /** "bind 127.0.0.1:53: Address already in use (errno 98)": for error messages, never on the query path. */
  static IOException failure(String operation, int errno) {
    return new IOException(operation + ": " + Downcalls.strerror(errno) + " (errno " + errno + ")");
  }

  static RuntimeException rethrow(Throwable t) {
    return Downcalls.rethrow(t);
  }
}
