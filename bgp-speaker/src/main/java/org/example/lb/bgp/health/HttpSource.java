package org.example.lb.bgp.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.example.lb.common.config.Validation;
import org.example.lb.common.health.Probe;
import org.example.lb.common.health.ProbeResult;

/** {@link HealthSource#http}: common's HTTP GET probe with a fixed timeout. */
final class HttpSource implements HealthSource {
  private final URI uri;
  private final Probe probe;
  private final Duration timeout;

  HttpSource(URI uri, Duration timeout, Set<Integer> okStatus) {
    this.uri = Validation.required("uri", uri);
    this.timeout = Validation.positive("timeout", timeout);
    this.probe = Probe.httpGet(target(uri), pathOf(uri), Optional.empty(), okStatus);
  }

  /** The address and port of an {@code http://<IP literal>[:port]/...} URI. */
  static InetSocketAddress target(URI uri) {
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null) {
      throw Validation.invalid("uri", uri, "http://<IP address>[:port]/path (no TLS, no user)");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress address;
    try {
      address = Validation.ipLiteral("uri", host);
    } catch (IllegalArgumentException e) {
      throw Validation.invalid("uri", uri, "an IP address literal as host (names are never resolved)");
    }
    return new InetSocketAddress(address, uri.getPort() == -1 ? 80 : uri.getPort());
  }

  private static String pathOf(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  @Override
  public ProbeResult check() {
    return probe.run(timeout);
  }

  @Override
  public String toString() {
    return "HTTP GET " + uri;
  }
}
