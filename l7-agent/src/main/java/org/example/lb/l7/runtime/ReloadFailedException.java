package org.example.lb.l7.runtime;

/**
 * The master CLI reported that a reload failed (its failed-reload counter grew): the previous
 * workers keep serving the previous configuration. The reason is in the master's log.
 */
public final class ReloadFailedException extends RuntimeApiException {
  private final ProcessTable after;

  ReloadFailedException(String message, ProcessTable after) {
    super(message, null);
    this.after = after;
  }

  /** The process table that showed the failure. */
  public ProcessTable after() {
    return after;
  }
}
