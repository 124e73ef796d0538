package org.example.lb.l7;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 GETs to 127.0.0.1 over raw sockets, one request per connection ({@code Connection: close}), so what is
 * measured is HAProxy's behaviour and not a client's connection pool or retries. Any short or malformed response is
 * an {@link IOException}.
 */
final class RawHttp {
  private RawHttp() {}

  /** A complete response. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /** A body received in full: its size and SHA-256, and the server that sent it ({@code X-Server}). */
  record Download(int status, String server, long contentLength, long bytes, String sha256) {}

  static Response get(int port, String path, Duration timeout) throws IOException {
    try (Socket s = connect(port, path, timeout)) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      Head head = readHead(in);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      in.transferTo(body);
      long expected = head.contentLength();
      if (expected >= 0 && body.size() != expected) {
        throw new IOException("GET " + path + ": " + body.size() + " body bytes, content-length " + expected);
      }
      return new Response(head.status, head.headers, body.toByteArray());
    }
  }

  static Response get(int port, String path) throws IOException {
    return get(port, path, Duration.ofSeconds(5));
  }

  /** Downloads {@code path} to the end, hashing it; {@code started} completes once the headers arrived. */
  static Download download(int port, String path, CompletableFuture<String> started) throws IOException {
    try (Socket s = connect(port, path, Duration.ofSeconds(30))) {
      InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
      Head head = readHead(in);
      started.complete(head.headers.getOrDefault("x-server", ""));
      MessageDigest sha = sha256();
      byte[] buf = new byte[65536];
      long bytes = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha.update(buf, 0, n);
        bytes += n;
      }
      return new Download(head.status, head.headers.getOrDefault("x-server", ""), head.contentLength(), bytes,
          HexFormat.of().formatHex(sha.digest()));
    } catch (IOException | RuntimeException e) {
      started.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * {@link #download} on a virtual thread of its own; the future fails with the download's exception. {@code started}
   * completes once the headers arrived, with the server's name.
   */
  static CompletableFuture<Download> downloadInBackground(int port, String path, CompletableFuture<String> started) {
    CompletableFuture<Download> download = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        download.complete(download(port, path, started));
      } catch (IOException | RuntimeException e) {
        download.completeExceptionally(e);
      }
    });
    return download;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Head(int status, Map<String, String> headers) {
    long contentLength() {
      String v = headers.get("content-length");
      return v == null ? -1 : Long.parseLong(v.strip());
    }
  }

  private static Socket connect(int port, String path, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " header bytes: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 16384) {
        throw new IOException("response header longer than 16 KiB");
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1 status line: " + lines[0]);
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
    }
    if (headers.containsKey("transfer-encoding")) {
      throw new IOException("unexpected transfer-encoding " + headers.get("transfer-encoding"));
    }
    return new Head(Integer.parseInt(statusLine[1]), headers);
  }
}
