package org.example.lb.bgp.health;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.example.lb.common.health.ProbeResult;

/**
 * What a {@link HealthCheck} asks whether the service is healthy. {@link #check} blocks (run it on a virtual
 * thread), never throws, and bounds itself with the timeout its factory was given; an interrupt ends it promptly
 * with a failed result. The result's detail is one line saying why.
 */
@FunctionalInterface
public interface HealthSource {
  /** The local l4-director's status page (its {@code AdminServer}). */
  URI DEFAULT_DIRECTOR_STATUS = URI.create("http://127.0.0.1:9200/status");
  /** The timeout of {@link #directorQuorum(URI)}. */
  Duration DEFAULT_DIRECTOR_TIMEOUT = Duration.ofSeconds(2);

  /** Checks once. */
  ProbeResult check();

  /** {@link #directorQuorum(URI, Duration)} with a 2s timeout. */
  static HealthSource directorQuorum(URI statusUri) {
    return new DirectorQuorumSource(statusUri, DEFAULT_DIRECTOR_TIMEOUT);
  }

  /**
   * GETs the l4-director's status JSON ({@code {"node":..,"serving":true,"quorum":{"up":true,...},...}}) and
   * passes iff {@code serving} and {@code quorum.up} are both true. Unreachable, a status other than 200, a body
   * that is not such JSON: failed, the detail says which.
   *
   * @param statusUri an {@code http} URI such as {@link #DEFAULT_DIRECTOR_STATUS}
   * @param timeout for connecting and reading the whole answer
   */
  static HealthSource directorQuorum(URI statusUri, Duration timeout) {
    return new DirectorQuorumSource(statusUri, timeout);
  }

  /**
   * Runs {@code argv} (no shell; use {@code sh -c} for one) like ExaBGP healthcheck's {@code --cmd}: exit status
   * 0 passes. Past {@code timeout} the process and its children are killed and the check fails. The detail carries
   * the exit status (or the timeout) and the last line of output: {@code exit 3: backend pool empty}.
   */
  static HealthSource command(List<String> argv, Duration timeout) {
    return new CommandSource(argv, timeout);
  }

  /** {@link #http(URI, Duration, Set)} passing on any 2xx status. */
  static HealthSource http(URI uri, Duration timeout) {
    return new HttpSource(uri, timeout, IntStream.rangeClosed(200, 299).boxed().collect(Collectors.toSet()));
  }

  /**
   * {@code GET} of {@code uri} (common's {@link org.example.lb.common.health.Probe#httpGet HTTP probe}: HTTP/1.0,
   * status line only); passes when the status is one of {@code okStatus}. Detail: {@code HTTP 503},
   * {@code connect refused}, {@code timeout after 2s}...
   *
   * @param uri {@code http://<IP literal>[:port]/path}: never resolved, no TLS
   */
  static HealthSource http(URI uri, Duration timeout, Set<Integer> okStatus) {
    return new HttpSource(uri, timeout, okStatus);
  }
}
