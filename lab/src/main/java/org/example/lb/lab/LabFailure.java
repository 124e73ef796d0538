package org.example.lb.lab;

/** A step of the lab failed for a reason outside the user's input; the message is one line. */
public final class LabFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabFailure(String message) {
    super(message, null, false, false);
  }

  public LabFailure(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
