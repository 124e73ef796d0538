package org.example.lb.lab.load;

import java.util.Optional;

/**
 * One client connection, as it ended.
 *
 * @param id         numbered from 1 in the order connections started
 * @param kind       a long download or a short request
 * @param source     the client address it was bound to
 * @param target     the VIP it connected to
 * @param startedMs  when the connection attempt began (epoch milliseconds)
 * @param endedMs    when it completed or failed (epoch milliseconds)
 * @param servedBy   the {@code X-Served-By} header ({@code LB7-2/S4}): which LB7 and server answered; empty when it
 *                   failed before the headers
 * @param failure    why it failed; empty when it completed
 * @param detail     the exception or what differed; empty when it completed
 * @param bytes      body bytes received and checked
 */
public record ConnectionResult(long id, Kind kind, String source, String target, long startedMs, long endedMs,
    Optional<String> servedBy, Optional<FailureReason> failure, String detail, long bytes) {

  /** What the connection did. */
  public enum Kind {
    /** {@code GET /10M}, read slowly. */
    DOWNLOAD,
    /** {@code GET /}: the server's name. */
    REQUEST
  }

  public boolean failed() {
    return failure.isPresent();
  }

  /** The LB7 that answered ({@code LB7-2}), if known. */
  public Optional<String> balancer() {
    return servedBy.map(s -> s.contains("/") ? s.substring(0, s.indexOf('/')) : s);
  }

  /** The server that answered ({@code S4}), if known. */
  public Optional<String> server() {
    return servedBy.filter(s -> s.contains("/")).map(s -> s.substring(s.indexOf('/') + 1));
  }

  /** True when the connection was open at {@code epochMs}. */
  public boolean openAt(long epochMs) {
    return startedMs <= epochMs && epochMs < endedMs;
  }
}
