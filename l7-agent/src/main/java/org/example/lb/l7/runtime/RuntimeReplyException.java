package org.example.lb.l7.runtime;

/**
 * HAProxy's answer was not in the format the parser expects. The message names the command, the
 * line (1-based, within the command's output) and what was expected.
 */
public final class RuntimeReplyException extends RuntimeApiException {
  RuntimeReplyException(String message) {
    super(message, null);
  }

  static RuntimeReplyException at(String command, int line, String problem) {
    return new RuntimeReplyException(command + ": line " + line + ": " + problem);
  }
}
