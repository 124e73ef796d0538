package org.example.lb.l4.nativeio;

import java.io.IOException;

/** A system call failed; {@link #errno()} says how. The message is "operation: ENAME (description)". */
public final class NativeIoException extends IOException {
  private final transient Errno errno;

  /** Creates the exception for {@code operation} (e.g. "open /dev/net/tun") having failed with {@code errno}. */
  public NativeIoException(String operation, Errno errno) {
    super(operation + ": " + errno.name() + " (" + errno.description() + ")");
    this.errno = errno;
  }

  /** The errno the call failed with. */
  public Errno errno() {
    return errno;
  }
}
