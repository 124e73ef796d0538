package org.example.lb.l7.testing;

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
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;

/**
 * A real nginx (Debian 1.22) as one backend server on 127.0.0.1, in the foreground, with its pid file, error log
 * and temporary files in its own directory. It accepts only PROXY-protocol connections, like the servers behind
 * the L7 tier, and answers:
 * <ul>
 *   <li>{@code /}: the server's name and a newline;
 *   <li>{@code /healthcheck}: 200 "ok";
 *   <li>{@code /10M}: the 10 MB file given, at {@code limitRate} bytes/s, so a download is a long-lived session.
 * </ul>
 * Every response carries {@code X-Server: <name>}. Stopped by PID ({@link #stop}: master and worker).
 */
public final class NginxServer extends ChildProcess {
  private final int port;

  private NginxServer(String name, int port, Process process, Path log) {
    super("nginx " + name, process, log);
    this.port = port;
  }

  /** The nginx binary, or a failed (lab.required=true) or skipped test. */
  public static Path binary() {
    return Tools.require("/usr/sbin/nginx");
  }

  /**
   * Starts nginx in {@code dir} serving {@code www/10M}; retries with another port if the chosen one was taken
   * meanwhile.
   *
   * @param limitRate nginx {@code limit_rate} of /10M, e.g. {@code 2m} (10 MB then take 5 s)
   */
  public static NginxServer start(Path dir, String name, Path www, String limitRate) throws IOException {
    Path nginx = binary();
    Files.createDirectories(dir.resolve("tmp"));
    AssertionError last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = FreePorts.one();
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, config(dir, name, port, www, limitRate));
      Path out = dir.resolve("nginx.out");
      NginxServer server = new NginxServer(name, port, launch(List.of(nginx.toString(), "-p", dir.toString(),
          "-e", dir.resolve("error.log").toString(), "-c", conf.toString()), out, null), out);
      try {
        Poll.until(Duration.ofSeconds(10), "nginx " + name + " answers on 127.0.0.1:" + port, () -> {
          if (!server.isAlive()) {
            throw new AssertionError("nginx " + name + " exited: " + server.log() + server.errorLog());
          }
          return server.healthy();
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

  private static String config(Path dir, String name, int port, Path www, String limitRate) {
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
            listen 127.0.0.1:%d proxy_protocol;
            add_header X-Server %s always;
            location = / { return 200 "%s\\n"; }
            location = /healthcheck { return 200 "ok\\n"; }
            location = /10M { root %s; limit_rate %s; }
          }
        }
        """.formatted(root ? "user root;" : "", dir, dir, tmp, tmp, tmp, tmp, tmp, port, name, name, www,
        limitRate);
  }

  public int port() {
    return port;
  }

  /** GET /healthcheck with a PROXY header, directly (not through HAProxy). */
  public boolean healthy() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(("PROXY TCP4 127.0.0.1 127.0.0.1 40000 " + port + "\r\nGET /healthcheck HTTP/1.0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
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
