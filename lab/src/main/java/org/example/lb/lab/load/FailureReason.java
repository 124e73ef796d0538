package org.example.lb.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** Why a client connection did not complete. */
public enum FailureReason {
  /** The peer reset an established connection (RST). */
  RESET,
  /** The connection attempt was answered with RST: nothing listened on the path it took. */
  REFUSED,
  /** No answer within the connect timeout, or no byte within the idle timeout. */
  TIMEOUT,
  /** The connection ended (FIN) before the headers or the whole body arrived. */
  SHORT_BODY,
  /** The bytes received differ from what the server sends. */
  BAD_CONTENT,
  /** A status other than 200 (HAProxy's 503 when no server could take the request, for example). */
  HTTP_STATUS,
  /** ICMP unreachable: no route to the target. */
  UNREACHABLE,
  /** Anything else (the detail says what). */
  OTHER;

  /** The name in JSON and on the live line: {@code short_body}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Classifies an I/O failure of a connection. */
  static FailureReason of(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException) {
      return TIMEOUT;
    }
    if (e instanceof ConnectException) {
      return message.contains("timed out") ? TIMEOUT : message.contains("refused") ? REFUSED
          : message.contains("unreachable") || message.contains("no route") ? UNREACHABLE : OTHER;
    }
    if (e instanceof NoRouteToHostException) {
      return UNREACHABLE;
    }
    if (e instanceof EOFException) {
      return SHORT_BODY;
    }
    if (e instanceof SocketException) {
      if (message.contains("reset")) {
        return RESET;
      }
      if (message.contains("broken pipe")) {
        return RESET;
      }
      if (message.contains("unreachable") || message.contains("no route")) {
        return UNREACHABLE;
      }
      if (message.contains("timed out")) {
        return TIMEOUT;
      }
    }
    return OTHER;
  }
}
