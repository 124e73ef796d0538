package org.example.lb.l4.nativeio;

/**
 * What TUN queues and raw sockets have in common: one file descriptor, used by one thread at a time, that can wait
 * for packets with a timeout (alone, or with others in a {@link PollSet}).
 */
public sealed interface NativeChannel extends AutoCloseable permits DescriptorChannel {
  /** Waits up to {@code timeoutMillis} (-1 = forever, 0 = just check) for a packet; false on timeout. */
  boolean awaitReadable(int timeoutMillis) throws NativeIoException;

  /** Switches O_NONBLOCK: in non-blocking mode reads return -1 instead of waiting. */
  void setNonBlocking(boolean nonBlocking) throws NativeIoException;

  /** Whether O_NONBLOCK is set. */
  boolean isNonBlocking() throws NativeIoException;

  /** The errno behind the last -1 result, or {@code null} if none yet. */
  Errno lastErrno();

  /** The raw file descriptor (for diagnostics). */
  int fd();

  /** Closes the descriptor; later calls do nothing, later I/O fails with EBADF. */
  @Override
  void close() throws NativeIoException;
}
