package org.example.lb.bgp.gobgp;

/** A gobgpd API call failed; the message is one line saying which call and why. */
public final class GobgpException extends Exception {
  private final boolean unavailable;

  GobgpException(String message, boolean unavailable, Throwable cause) {
    super(message, cause);
    this.unavailable = unavailable;
  }

  /** Whether gobgpd could not be reached at all (not running, wrong address), as opposed to refusing the call. */
  public boolean unavailable() {
    return unavailable;
  }
}
