package org.example.lb.l7.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command's reply, split into an optional severity-prefixed message and the text. On the stats
 * socket every request is {@code set severity-output number;<command>}: the first command answers
 * an empty line, so the reply starts with {@code \n}, which is removed here. Messages look like
 * {@code [3]: No such backend.}; data (show stat, show info, ...) has no prefix.
 */
record CliReply(String command, String text, Severity severity, String message) {
  private static final Pattern PREFIX = Pattern.compile("\\[(\\d{1,9})\\]: ?(.*)");

  /** Parses a stats-socket reply to {@code set severity-output number;<command>}. */
  static CliReply ofStatsSocket(String command, String raw) {
    String text = raw.startsWith("\n") ? raw.substring(1) : raw;
    String first = firstLine(text);
    Matcher m = PREFIX.matcher(first);
    if (m.matches()) {
      return new CliReply(command, text, Severity.valueOf(Integer.parseInt(m.group(1))), m.group(2).strip());
    }
    return new CliReply(command, text, null, "");
  }

  /** Parses a master CLI reply, which carries no severity prefixes. */
  static CliReply ofMaster(String command, String raw) {
    String first = firstLine(raw);
    boolean message = first.startsWith("Unknown command") || first.startsWith("Permission denied")
        || first.startsWith("Can't find the target");
    return new CliReply(command, raw, null, message ? first.strip() : "");
  }

  /**
   * True if HAProxy rejected the command: an err-or-worse message, "Unknown command" at any level
   * (2.6 prints it as info), or one of the master CLI's error lines (which have no severity).
   */
  boolean failed() {
    return !message.isEmpty()
        && (severity == null || severity.isError() || message.startsWith("Unknown command"));
  }

  /** Returns this reply, or throws {@link RuntimeCommandException} if HAProxy rejected the command. */
  CliReply requireSuccess() {
    if (failed()) {
      throw new RuntimeCommandException(command, severity, message, text);
    }
    return this;
  }

  /** The text without the empty line that ends most replies ({@code ""} for an empty reply). */
  String body() {
    if (text.equals("\n")) {
      return "";
    }
    return text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text;
  }

  Optional<Severity> severityIfAny() {
    return Optional.ofNullable(severity);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
