package org.example.lb.common.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx (Debian 1.22) on 127.0.0.1, in the foreground, with its pid file, error log and temporary files in its
 * own directory, stopped by PID ({@link #stop}: master and worker). Two kinds:
 * <ul>
 *   <li>{@link #start(Path, String, Path, String)}: a backend server behind the L7 tier, accepting only
 *       PROXY-protocol connections;</li>
 *   <li>{@link #startHttp(Path, String, String)}: plain HTTP with the {@code server} block's locations given by the
 *       test (e.g. a {@code /healthcheck} that a flag file turns to 503).</li>
 * </ul>
 */
public final class NginxServer extends ChildProcess {
  private final int port;
  private final boolean proxyProtocol;

  private NginxServer(String name, int port, boolean proxyProtocol, Process process, Path log) {
    super("nginx " + name, process, log);
    this.port = port;
    this.proxyProtocol = proxyProtocol;
  }

  /** The nginx binary, or a failed (lab.required=true) or skipped test. */
  public static Path binary() {
    return Tools.require("/usr/sbin/nginx");
  }

  /**
   * A backend server as behind the L7 tier: PROXY protocol only; answers {@code /} with its name and a newline,
   * {@code /healthcheck} with 200 "ok", {@code /10M} with the 10 MB file {@code www/10M} at {@code limitRate}
   * bytes/s (so a download is a long-lived session); every response carries {@code X-Server: <name>}. Retries with
   * another port if the chosen one was taken meanwhile.
   *
   * @param limitRate nginx {@code limit_rate} of /10M, e.g. {@code 2m} (10 MB then take 5 s)
   */
  public static NginxServer start(Path dir, String name, Path www, String limitRate) throws IOException {
    String locations = """
        add_header X-Server %s always;
        location = / { return 200 "%s\\n"; }
        location = /healthcheck { return 200 "ok\\n"; }
        location = /10M { root %s; limit_rate %s; }
        """.formatted(name, name, www, limitRate);
    return start(dir, name, true, locations);
  }

  /**
   * Plain HTTP on 127.0.0.1 with {@code locations} as the body of its {@code server} block (nginx syntax, e.g.
   * {@code location = /healthcheck { return 200; }}). Started once nginx answers any HTTP request.
   */
  public static NginxServer startHttp(Path dir, String name, String locations) throws IOException {
    return start(dir, name, false, locations);
  }

  private static NginxServer start(Path dir, String name, boolean proxyProtocol, String locations)
      throws IOException {
    Path nginx = binary();
    Files.createDirectories(dir.resolve("tmp"));
    AssertionError last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = FreePorts.one();
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, config(dir, port, proxyProtocol, locations));
      Path out = dir.resolve("nginx.out");
      NginxServer server = new NginxServer(name, port, proxyProtocol, launch(List.of(nginx.toString(), "-p",
          dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", conf.toString()), out, null), out);
      try {
        Poll.until(Duration.ofSeconds(10), "nginx " + name + " answers on 127.0.0.1:" + port, () -> {
          if (!server.isAlive()) {
            throw new AssertionError("nginx " + name + " exited: " + server.log() + server.errorLog());
          }
          return server.answers();
        });
        return server;
      } catch (AssertionError e) {
        server.close();
        last = e;
        if (!server.errorLog().contains("Address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  private static String config(Path dir, int port, boolean proxyProtocol, String locations) {
    boolean root = "root".equals(System.getProperty("user.name"));
    String tmp = dir.resolve("tmp").toString();
    return """
        daemon off;
        master_process on;
        worker_processes 1;
        %s
        pid %s/nginx.pid;
        error_log %s/error.log notice;
        events { worker_connections 512; }
        http {
          access_log off;
          default_type text/plain;
          sendfile on;
          client_body_temp_path %s/client_body;
          proxy_temp_path %s/proxy;
          fastcgi_temp_path %s/fastcgi;
          uwsgi_temp_path %s/uwsgi;
          scgi_temp_path %s/scgi;
          server {
            listen 127.0.0.1:%d%s;
        %s
          }
        }
        """.formatted(root ? "user root;" : "", dir, dir, tmp, tmp, tmp, tmp, tmp, port,
        proxyProtocol ? " proxy_protocol" : "", locations.indent(4));
  }

  public int port() {
    return port;
  }

  /** GET /healthcheck (with a PROXY header for a PROXY-protocol server), directly: true on a 200. */
  public boolean healthy() {
    return get("/healthcheck").startsWith("HTTP/1.1 200");
  }

  private boolean answers() {
    return proxyProtocol ? healthy() : get("/").startsWith("HTTP/1.1 ");
  }

  /** The whole response to {@code GET path HTTP/1.0}, or "" when there is none. */
  public String get(String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      String proxy = proxyProtocol ? "PROXY TCP4 127.0.0.1 127.0.0.1 40000 " + port + "\r\n" : "";
      out.write((proxy + "GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** nginx's error log ("" if it has none yet). */
  public String errorLog() {
    try {
      Path log = logFile().resolveSibling("error.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
