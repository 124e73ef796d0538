package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * poll(2) over a fixed set of channels, e.g. an LB7 worker's IPv4 and IPv6 raw sockets, with the pollfd array built
 * once so {@link #await(int)} allocates nothing. Used by one thread (the worker owning the channels); the channels
 * must stay open while it is used.
 */
public final class PollSet {
  private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }
  private static final int POLLERR = 0x8;
  private static final int POLLHUP = 0x10;
  private static final int POLLNVAL = 0x20;

  private final List<NativeChannel> channels;
  private final MemorySegment pollFds;
  private final MemorySegment callState;

  private PollSet(List<NativeChannel> channels) {
    this.channels = List.copyOf(channels);
    Arena arena = Arena.ofAuto();
    this.pollFds = arena.allocate((long) POLLFD_SIZE * channels.size(), 8);
    this.callState = Libc.newCallState(arena);
    for (int i = 0; i < channels.size(); i++) {
      pollFds.set(JAVA_INT, (long) i * POLLFD_SIZE, channels.get(i).fd());
      pollFds.set(JAVA_SHORT, (long) i * POLLFD_SIZE + 4, Libc.POLLIN);
    }
  }

  /** A set waiting for packets on each of {@code channels} (at least one). */
  public static PollSet of(List<? extends NativeChannel> channels) {
    Libc.ensureAvailable();
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels: [] (expected: at least one)");
    }
    return new PollSet(List.copyOf(channels));
  }

  /** As {@link #of(List)}. */
  public static PollSet of(NativeChannel... channels) {
    return of(List.of(channels));
  }

  /** The channels, in the order given; {@link #isReadable(int)} takes an index into this list. */
  public List<NativeChannel> channels() {
    return channels;
  }

  /**
   * Waits up to {@code timeoutMillis} (-1 = forever, 0 = just check) until a channel has a packet.
   *
   * @return how many channels are ready, 0 on timeout or when a signal interrupted the wait
   * @throws NativeIoException EBADF when a channel's descriptor was closed (poll reported POLLNVAL)
   */
  public int await(int timeoutMillis) throws NativeIoException {
    for (int i = 0; i < channels.size(); i++) {
      pollFds.set(JAVA_SHORT, (long) i * POLLFD_SIZE + 6, (short) 0);
    }
    int n;
    try {
      n = (int) Libc.POLL.invokeExact(callState, pollFds, (long) channels.size(), timeoutMillis);
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
    if (n < 0) {
      int errno = Libc.errno(callState);
      if (errno == Errno.EINTR.number()) {
        return 0;
      }
      throw Libc.failure("poll " + channels, errno);
    }
    for (int i = 0; i < channels.size(); i++) {
      if ((revents(i) & POLLNVAL) != 0) {
        throw Libc.failure("poll " + channels.get(i), Errno.EBADF.number());
      }
    }
    return n;
  }

  /** Whether channel {@code index} had a packet (or an error to report on read) at the last {@link #await}. */
  public boolean isReadable(int index) {
    return (revents(index) & (Libc.POLLIN | POLLERR | POLLHUP)) != 0;
  }

  private int revents(int index) {
    return pollFds.get(JAVA_SHORT, (long) index * POLLFD_SIZE + 6) & 0xffff;
  }
}
