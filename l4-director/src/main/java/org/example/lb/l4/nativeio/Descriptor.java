package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One open file descriptor with the preallocated native scratch (errno call state, a pollfd) that lets read, write
 * and poll run without allocating. Not thread-safe: one thread uses it at a time, and {@link #close()} must not race
 * with a call in progress (worker loops poll with a timeout, notice shutdown, and then close).
 */
final class Descriptor implements AutoCloseable {
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int ENOBUFS = 105;

  private final int fd;
  private final String name;
  private final Arena arena;
  private final MemorySegment callState;
  private final MemorySegment pollFd;
  private int lastErrno;
  private volatile boolean closed;

  Descriptor(int fd, String name) {
    this.fd = fd;
    this.name = name;
    this.arena = Arena.ofShared();
    this.callState = Libc.newCallState(arena);
    this.pollFd = arena.allocate(8, 8); // struct pollfd { int fd; short events; short revents; }
    pollFd.set(JAVA_INT, 0, fd);
  }

  int fd() {
    return fd;
  }

  String name() {
    return name;
  }

  MemorySegment callState() {
    return callState;
  }

  Arena arena() {
    return arena;
  }

  /** errno of the last call that returned -1 from {@link #read}, {@link #write} or {@link #remember}. */
  Errno lastErrno() {
    return lastErrno == 0 ? null : Errno.valueOf(lastErrno);
  }

  /**
   * Classifies a failed call: EINTR → 0 (caller retries), EAGAIN/ENOBUFS → -1 (caller reports "no room / nothing
   * now"); anything else → exception.
   */
  int remember(String operation, int errno) throws NativeIoException {
    lastErrno = errno;
    if (errno == EINTR) {
      return 0;
    }
    if (errno == EAGAIN || errno == ENOBUFS) {
      return -1;
    }
    throw Libc.failure(operation + " " + name, errno);
  }

  /** read(2) into {@code buffer} (native); bytes read, or -1 when non-blocking and nothing is queued. */
  int read(MemorySegment buffer, long length) throws NativeIoException {
    ensureOpen();
    while (true) {
      long n;
      try {
        n = (long) Libc.READ.invokeExact(callState, fd, buffer, length);
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
      if (n >= 0) {
        return (int) n;
      }
      if (remember("read", Libc.errno(callState)) < 0) {
        return -1;
      }
    }
  }

  /** write(2) from {@code buffer} (native); bytes written, or -1 on EAGAIN/ENOBUFS (see {@link #lastErrno}). */
  int write(MemorySegment buffer, long length) throws NativeIoException {
    ensureOpen();
    while (true) {
      long n;
      try {
        n = (long) Libc.WRITE.invokeExact(callState, fd, buffer, length);
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
      if (n >= 0) {
        return (int) n;
      }
      if (remember("write", Libc.errno(callState)) < 0) {
        return -1;
      }
    }
  }

  /**
   * poll(2) for {@code events} with a timeout (-1 = forever, 0 = just check); the returned events, 0 on timeout or
   * when interrupted by a signal.
   */
  int poll(short events, int timeoutMillis) throws NativeIoException {
    ensureOpen();
    pollFd.set(JAVA_SHORT, 4, events);
    pollFd.set(JAVA_SHORT, 6, (short) 0);
    int n;
    try {
      n = (int) Libc.POLL.invokeExact(callState, pollFd, 1L, timeoutMillis);
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    if (n < 0) {
      int errno = Libc.errno(callState);
      if (errno == EINTR) {
        return 0;
      }
      throw Libc.failure("poll " + name, errno);
    }
    return n == 0 ? 0 : pollFd.get(JAVA_SHORT, 6) & 0xffff;
  }

  /** Sets or clears O_NONBLOCK. */
  void setNonBlocking(boolean nonBlocking) throws NativeIoException {
    ensureOpen();
    try {
      int flags = (int) Libc.FCNTL_INT.invokeExact(callState, fd, Libc.F_GETFL, 0);
      if (flags < 0) {
        throw Libc.failure("fcntl(F_GETFL) " + name, Libc.errno(callState));
      }
      int wanted = nonBlocking ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
      if (wanted != flags && (int) Libc.FCNTL_INT.invokeExact(callState, fd, Libc.F_SETFL, wanted) < 0) {
        throw Libc.failure("fcntl(F_SETFL) " + name, Libc.errno(callState));
      }
    } catch (NativeIoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
  }

  /** Whether O_NONBLOCK is set. */
  boolean isNonBlocking() throws NativeIoException {
    ensureOpen();
    int flags;
    try {
      flags = (int) Libc.FCNTL_INT.invokeExact(callState, fd, Libc.F_GETFL, 0);
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    if (flags < 0) {
      throw Libc.failure("fcntl(F_GETFL) " + name, Libc.errno(callState));
    }
    return (flags & Libc.O_NONBLOCK) != 0;
  }

  boolean isOpen() {
    return !closed;
  }

  void ensureOpen() throws NativeIoException {
    if (closed) {
      throw new NativeIoException("use of closed " + name, Errno.EBADF);
    }
  }

  /** Closes the descriptor once; later calls do nothing. */
  @Override
  public synchronized void close() throws NativeIoException {
    if (closed) {
      return;
    }
    closed = true;
    int result;
    int errno;
    try {
      result = (int) Libc.CLOSE.invokeExact(callState, fd);
      errno = Libc.errno(callState);
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    arena.close();
    if (result < 0 && errno != EINTR) {
      throw Libc.failure("close " + name, errno);
    }
  }

  /** Closes {@code fd} without a Descriptor (cleanup after a failed setup); errors are ignored. */
  static void closeQuietly(int fd, MemorySegment callState) {
    try {
      int ignored = (int) Libc.CLOSE.invokeExact(callState, fd);
    } catch (Throwable t) {
      // cleanup only
    }
  }
}
