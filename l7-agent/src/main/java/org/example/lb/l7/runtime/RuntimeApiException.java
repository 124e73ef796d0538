package org.example.lb.l7.runtime;

/**
 * Failure of a call to HAProxy's runtime API (stats socket) or master CLI. Unchecked; callers
 * that care switch over the permitted subtypes:
 *
 * <ul>
 *   <li>{@link RuntimeCommandException}: HAProxy answered and rejected the command;
 *   <li>{@link RuntimeIoException}: no complete answer (connect/read/write failure, timeout);
 *   <li>{@link RuntimeReplyException}: an answer that is not in the expected format;
 *   <li>{@link ReloadFailedException}: the master reported a failed reload.
 * </ul>
 */
public abstract sealed class RuntimeApiException extends RuntimeException
    permits RuntimeCommandException, RuntimeIoException, RuntimeReplyException, ReloadFailedException {

  RuntimeApiException(String message, Throwable cause) {
    super(message, cause);
  }
}
