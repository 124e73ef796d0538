package org.example.lb.l7.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * HAProxy answered and rejected the command. {@link #kind()} is derived from the message text
 * (HAProxy has no error codes); {@link #severity()} is present when the reply carried a
 * {@code [N]: } prefix (always on the stats socket, which this client switches to
 * {@code set severity-output number}; never on the master CLI).
 */
public final class RuntimeCommandException extends RuntimeApiException {

  /** What went wrong, as far as the message text tells. */
  public enum Kind {
    NO_SUCH_BACKEND,
    NO_SUCH_SERVER,
    PERMISSION_DENIED,
    UNKNOWN_COMMAND,
    INVALID_ARGUMENT,
    /** Any other refusal, e.g. "Only servers in maintenance mode can be deleted." */
    OTHER
  }

  private final String command;
  private final Severity severity; // nullable: master CLI messages carry none
  private final Kind kind;
  private final String errorMessage;
  private final String reply;

  RuntimeCommandException(String command, Severity severity, String errorMessage, String reply) {
    super(command + ": " + errorMessage + (severity == null ? "" : " [" + severity + "]"), null);
    this.command = command;
    this.severity = severity;
    this.kind = classify(errorMessage);
    this.errorMessage = errorMessage;
    this.reply = reply;
  }

  /** The command as sent (without the {@code set severity-output} prefix). */
  public String command() {
    return command;
  }

  public Optional<Severity> severity() {
    return Optional.ofNullable(severity);
  }

  public Kind kind() {
    return kind;
  }

  /** HAProxy's message, first line only, without the severity prefix. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The whole reply text (e.g. the list of suggestions after "Unknown command"). */
  public String reply() {
    return reply;
  }

  /** Maps HAProxy 2.6 message texts to a {@link Kind}; unrecognised texts give {@link Kind#OTHER}. */
  static Kind classify(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("permission denied")) {
      return Kind.PERMISSION_DENIED;
    }
    if (m.startsWith("unknown command")) {
      return Kind.UNKNOWN_COMMAND;
    }
    if (m.contains("no such backend") || m.contains("can't find backend") || m.contains("no such proxy")
        || m.contains("unknown backend")) {
      return Kind.NO_SUCH_BACKEND;
    }
    if (m.contains("no such server") || m.contains("can't find server") || m.contains("unknown server")) {
      return Kind.NO_SUCH_SERVER;
    }
    for (String hint : INVALID_ARGUMENT_HINTS) {
      if (m.contains(hint)) {
        return Kind.INVALID_ARGUMENT;
      }
    }
    return Kind.OTHER;
  }

  private static final String[] INVALID_ARGUMENT_HINTS = {
    "expects", "require", "invalid", "unknown keyword", "garbage", "must be", "can only be between",
    "out of range", "expected", "not a valid", "missing", "illegal", "bad "
  };
}
