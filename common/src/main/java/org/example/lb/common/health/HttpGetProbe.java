package org.example.lb.common.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.Validation;

/** {@code GET path HTTP/1.0}; passes on a status code of the configured set. */
final class HttpGetProbe implements Probe {
  /** A status line longer than this is garbage. */
  private static final int MAX_STATUS_LINE = 512;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/[0-9]\\.[0-9] ([1-5][0-9][0-9])(?: .*)?");

  private final InetSocketAddress target;
  private final String path;
  private final Set<Integer> okStatus;
  private final byte[] request;

  HttpGetProbe(InetSocketAddress target, String path, Optional<String> host, Set<Integer> okStatus) {
    this.target = TcpConnectProbe.checkedTarget(target);
    if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw Validation.invalid("path", path, "an absolute path of printable ASCII without spaces, such as /healthcheck");
    }
    this.path = path;
    String hostHeader = host.orElseGet(() -> authority(target).replaceFirst(":80$", ""));
    if (hostHeader.isEmpty() || hostHeader.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw Validation.invalid("host", hostHeader, "a host name or address without spaces");
    }
    if (okStatus == null || okStatus.isEmpty() || okStatus.stream().anyMatch(c -> c == null || c < 100 || c > 599)) {
      throw Validation.invalid("okStatus", okStatus, "a non-empty set of HTTP status codes 100-599");
    }
    this.okStatus = Set.copyOf(okStatus);
    this.request = ("GET " + path + " HTTP/1.0\r\nHost: " + hostHeader
        + "\r\nUser-Agent: lb-health-check\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code 192.0.2.1:80} or {@code [2001:db8::1]:80}. */
  static String authority(InetSocketAddress target) {
    String address = Addresses.toText(target.getAddress());
    return (target.getAddress() instanceof Inet6Address ? "[" + address + "]" : address) + ":" + target.getPort();
  }

  @Override
  public ProbeResult run(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Socket socket = null;
    try {
      socket = TcpConnectProbe.open(target, timeout, deadline);
      String statusLine = exchange(socket, timeout, deadline);
      Matcher m = STATUS_LINE.matcher(statusLine);
      if (!m.matches()) {
        return ProbeResult.failed("bad status line " + quoted(statusLine), TcpConnectProbe.since(start));
      }
      int code = Integer.parseInt(m.group(1));
      return new ProbeResult(okStatus.contains(code), "HTTP " + code, TcpConnectProbe.since(start));
    } catch (ProbeFailure f) {
      return ProbeResult.failed(f.detail(), TcpConnectProbe.since(start));
    } finally {
      if (socket != null) {
        TcpConnectProbe.closeQuietly(socket);
      }
    }
  }

  /** Sends the request and returns the status line without its line end. */
  private String exchange(Socket socket, Duration timeout, long deadline) throws ProbeFailure {
    String readTimeout = "timeout after ";
    try {
      socket.setSoTimeout(TcpConnectProbe.remainingMillis(deadline, timeout, readTimeout));
      socket.getOutputStream().write(request); // small: fits the socket buffer at once
      InputStream in = socket.getInputStream();
      byte[] line = new byte[MAX_STATUS_LINE];
      int length = 0;
      while (true) {
        socket.setSoTimeout(TcpConnectProbe.remainingMillis(deadline, timeout, readTimeout));
        int n = in.read(line, length, line.length - length);
        if (n < 0) {
          if (length == 0) {
            throw new ProbeFailure("closed without a response");
          }
          return new String(line, 0, length, StandardCharsets.ISO_8859_1); // no line end: judged as it is
        }
        for (int i = length; i < length + n; i++) {
          if (line[i] == '\n') {
            int end = i > 0 && line[i - 1] == '\r' ? i - 1 : i;
            return new String(line, 0, end, StandardCharsets.ISO_8859_1);
          }
        }
        length += n;
        if (length == line.length) {
          return new String(line, 0, length, StandardCharsets.ISO_8859_1); // too long: fails to match
        }
      }
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new ProbeFailure("interrupted");
      }
      if (e instanceof SocketTimeoutException) {
        throw new ProbeFailure(readTimeout + DurationText.of(timeout));
      }
      if (e instanceof SocketException && e.getMessage() != null && e.getMessage().contains("reset")) {
        throw new ProbeFailure("connection reset");
      }
      throw new ProbeFailure("error: " + TcpConnectProbe.message(e));
    }
  }

  /** At most 40 characters of what was received, non-printables as '?', in quotes. */
  private static String quoted(String received) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < received.length() && i < 40; i++) {
      char c = received.charAt(i);
      sb.append(c >= ' ' && c < 127 && c != '"' ? c : '?');
    }
    return sb.append(received.length() > 40 ? "...\"" : "\"").toString();
  }

  @Override
  public String toString() {
    return "HTTP GET http://" + authority(target) + path;
  }
}
