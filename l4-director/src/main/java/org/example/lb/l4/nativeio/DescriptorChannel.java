package org.example.lb.l4.nativeio;

/**
 * The part of a {@link NativeChannel} that is only its file descriptor: waiting, blocking mode, errno, close. TUN
 * queues and raw sockets add their own reads and writes.
 */
abstract sealed class DescriptorChannel implements NativeChannel permits TunDevice.Queue, RawSocket {
  final Descriptor descriptor;

  DescriptorChannel(Descriptor descriptor) {
    this.descriptor = descriptor;
  }

  /** Waits up to {@code timeoutMillis} (-1 = forever, 0 = just check) for a packet; false on timeout. */
  @Override
  public boolean awaitReadable(int timeoutMillis) throws NativeIoException {
    return (descriptor.poll(Libc.POLLIN, timeoutMillis) & Libc.POLLIN) != 0;
  }

  /** Switches O_NONBLOCK: in non-blocking mode reads return -1 instead of waiting (and sends instead of blocking). */
  @Override
  public void setNonBlocking(boolean nonBlocking) throws NativeIoException {
    descriptor.setNonBlocking(nonBlocking);
  }

  /** Whether O_NONBLOCK is set. */
  @Override
  public boolean isNonBlocking() throws NativeIoException {
    return descriptor.isNonBlocking();
  }

  /** The errno behind the last -1 result, or {@code null} if none yet. */
  @Override
  public Errno lastErrno() {
    return descriptor.lastErrno();
  }

  /** The raw file descriptor (for diagnostics). */
  @Override
  public int fd() {
    return descriptor.fd();
  }

  @Override
  public void close() throws NativeIoException {
    descriptor.close();
  }
}
