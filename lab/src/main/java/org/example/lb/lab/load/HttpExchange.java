package org.example.lb.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.example.lb.lab.load.ConnectionResult.Kind;

/**
 * One HTTP/1.1 exchange on its own connection ({@code Connection: close}), checked byte for byte: a download must be
 * the lab's payload ({@code /10M}), a request's body the name of the server that answered. Blocking; run it on a
 * virtual thread. Never throws: every failure becomes a {@link ConnectionResult} with its {@link FailureReason}.
 */
final class HttpExchange {
  static final int PORT = 80;
  static final String SERVED_BY = "x-served-by";
  private static final int HEADER_LIMIT = 16 * 1024;
  private static final int DOWNLOAD_RECEIVE_BUFFER = 64 * 1024;

  private final LoadSettings settings;
  private final byte[] payload;
  private final int port;

  /** {@code payload}: the bytes {@code /10M} must deliver; the targets listen on port 80. */
  HttpExchange(LoadSettings settings, byte[] payload) {
    this(settings, payload, PORT);
  }

  HttpExchange(LoadSettings settings, byte[] payload, int port) {
    this.settings = settings;
    this.payload = payload;
    this.port = port;
  }

  ConnectionResult run(long id, Kind kind, InetAddress source, InetAddress target) {
    long started = System.currentTimeMillis();
    Head head = null;
    long[] body = {0};
    Optional<FailureReason> failure = Optional.empty();
    String detail = "";
    try (Socket socket = new Socket()) {
      if (kind == Kind.DOWNLOAD) {
        socket.setReceiveBufferSize(DOWNLOAD_RECEIVE_BUFFER); // before connect: the window stays small
      }
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress(target, port), (int) settings.connectTimeout().toMillis());
      socket.setSoTimeout((int) settings.idleTimeout().toMillis());
      OutputStream out = socket.getOutputStream();
      String path = kind == Kind.DOWNLOAD ? "/10M" : "/";
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + settings.host() + "\r\nUser-Agent: lab-clients\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      head = Head.read(in, buffer);
      if (head.status() != 200) {
        failure = Optional.of(FailureReason.HTTP_STATUS);
        detail = "status " + head.status();
      } else {
        String mismatch = kind == Kind.DOWNLOAD ? readDownload(in, head, buffer, body)
            : readRequest(in, head, buffer, body);
        if (mismatch != null) {
          failure = Optional.of(FailureReason.BAD_CONTENT);
          detail = mismatch;
        }
      }
    } catch (EOFException e) {
      failure = Optional.of(FailureReason.SHORT_BODY);
      detail = e.getMessage();
    } catch (IOException e) {
      failure = Optional.of(FailureReason.of(e));
      detail = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      failure = Optional.of(FailureReason.OTHER);
      detail = e.toString();
    }
    Optional<String> servedBy = head == null ? Optional.empty() : head.servedBy();
    return new ConnectionResult(id, kind, source.getHostAddress(), target.getHostAddress(), started,
        System.currentTimeMillis(), servedBy, failure, detail, body[0]);
  }

  /** Reads the payload at the settings' rate, comparing as it goes; the mismatch, or null when all matched. */
  private String readDownload(InputStream in, Head head, byte[] buffer, long[] received) throws IOException {
    if (head.contentLength() != payload.length) {
      return "Content-Length " + head.contentLength() + " (expected " + payload.length + ")";
    }
    long begin = System.nanoTime();
    int at = 0;
    int n = head.leftoverBytes();
    while (true) {
      if (n > 0) {
        int take = Math.min(n, payload.length - at);
        int diff = Arrays.mismatch(buffer, 0, take, payload, at, at + take);
        if (diff >= 0) {
          return "byte " + (at + diff) + " differs";
        }
        at += take;
        received[0] = at;
        if (at == payload.length) {
          return null;
        }
        long due = begin + (long) (at * 1e9 / settings.readRate());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          try {
            Thread.sleep(Duration.ofNanos(wait));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
        }
      }
      n = in.read(buffer, 0, Math.min(buffer.length, payload.length - at));
      if (n < 0) {
        throw new EOFException("connection closed after " + at + " of " + payload.length + " body bytes");
      }
    }
  }

  /** Reads {@code GET /}'s body: the answering server's name and a newline. */
  private static String readRequest(InputStream in, Head head, byte[] buffer, long[] received) throws IOException {
    if (head.contentLength() < 0 || head.contentLength() > 1024) {
      return "Content-Length " + head.contentLength() + " (expected a server's name)";
    }
    int length = (int) head.contentLength();
    byte[] body = new byte[length];
    int at = Math.min(head.leftoverBytes(), length);
    System.arraycopy(buffer, 0, body, 0, at);
    while (at < length) {
      int n = in.read(body, at, length - at);
      if (n < 0) {
        throw new EOFException("connection closed after " + at + " of " + length + " body bytes");
      }
      at += n;
    }
    received[0] = at;
    String text = new String(body, StandardCharsets.US_ASCII);
    Optional<String> server = head.servedBy().filter(s -> s.contains("/")).map(s -> s.substring(s.indexOf('/') + 1));
    if (server.isEmpty()) {
      return "no " + SERVED_BY + " header naming the server";
    }
    return text.equals(server.get() + "\n") ? null : "body \"" + text.strip() + "\" from " + server.get();
  }

  /**
   * A response's status line and the headers we need.
   *
   * @param leftoverBytes body bytes read past the headers, at the start of the buffer {@link #read} was given
   */
  record Head(int status, long contentLength, Optional<String> servedBy, int leftoverBytes) {
    /** Reads up to the blank line; the bytes after it are moved to the start of {@code buffer}. */
    static Head read(InputStream in, byte[] buffer) throws IOException {
      int filled = 0;
      int end;
      while ((end = headerEnd(buffer, filled)) < 0) {
        if (filled == buffer.length || filled >= HEADER_LIMIT) {
          throw new IOException("response headers longer than " + filled + " bytes");
        }
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new EOFException("connection closed after " + filled + " bytes, before the end of the headers");
        }
        filled += n;
      }
      Head head = parse(new String(buffer, 0, end, StandardCharsets.ISO_8859_1), filled - end - 4);
      System.arraycopy(buffer, end + 4, buffer, 0, filled - end - 4);
      return head;
    }

    static Head parse(String text, int leftover) throws IOException {
      String[] lines = text.split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("\\d{3}")) {
        throw new IOException("not an HTTP/1.x status line: " + lines[0]);
      }
      long length = -1;
      String servedBy = null;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).strip();
        if (name.equals("content-length") && value.matches("\\d{1,12}")) {
          length = Long.parseLong(value);
        } else if (name.equals(SERVED_BY)) {
          servedBy = value;
        }
      }
      return new Head(Integer.parseInt(statusLine[1]), length, Optional.ofNullable(servedBy), leftover);
    }

    private static int headerEnd(byte[] b, int filled) {
      for (int i = 0; i + 3 < filled; i++) {
        if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
