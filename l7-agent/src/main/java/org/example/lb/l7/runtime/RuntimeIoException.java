package org.example.lb.l7.runtime;

import java.nio.file.Path;

/**
 * The socket could not be reached or the exchange did not complete: connect refused, socket
 * missing, connection reset, or the deadline ({@link #timedOut()}) passed before HAProxy closed
 * the connection.
 */
public final class RuntimeIoException extends RuntimeApiException {
  private final Path socket;
  private final boolean timedOut;

  RuntimeIoException(Path socket, String message, boolean timedOut, Throwable cause) {
    super(socket + ": " + message, cause);
    this.socket = socket;
    this.timedOut = timedOut;
  }

  /** The Unix socket the call was addressed to. */
  public Path socket() {
    return socket;
  }

  /** True if the call's deadline passed (as opposed to an I/O error). */
  public boolean timedOut() {
    return timedOut;
  }
}
