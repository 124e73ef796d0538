package org.example.lb.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.example.lb.lab.LabCommand;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.topology.Cidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated nginx config against the real nginx on ::1 (no namespace needed). */
class NginxSiteTest {
  @TempDir
  Path dir;

  private Process nginx;
  private NginxSite site;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      port = s.getLocalPort();
    }
    for (String d : List.of("conf", "log", "run", "www")) {
      Files.createDirectories(dir.resolve(d));
    }
    // The worker may run as nobody: it must be able to read the payload.
    dir.toFile().setExecutable(true, false);
    dir.resolve("www").toFile().setExecutable(true, false);
    Payload.write(dir.resolve("www").resolve(Payload.NAME));
    dir.resolve("www").resolve(Payload.NAME).toFile().setReadable(true, false);
    site = new NginxSite("S9", Cidr.parse("::1").orElseThrow(), port, List.of(Cidr.parse("::1/128").orElseThrow()),
        dir.resolve("conf"), dir.resolve("log"), dir.resolve("run"), dir.resolve("www"));
    Files.writeString(site.configFile(), site.render(LabCommand.isRoot()));
    nginx = new ProcessBuilder(site.command()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log/nginx.out").toFile()).start();
    Poll.until(Duration.ofSeconds(10), () -> "nginx answers; log: " + log(), () -> {
      try {
        return get("/healthcheck", true).startsWith("HTTP/1.1 200");
      } catch (IOException e) {
        return false;
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
      }
    }
  }

  @Test
  void rootAnswersTheNodeName() throws Exception {
    assertThat(get("/", true)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nS9\n");
  }

  @Test
  void clientAddressComesFromTheProxyHeader() throws Exception {
    get("/", true);
    Poll.until(Duration.ofSeconds(5), () -> "the PROXY header's client address in the access log: " + access(),
        () -> access().contains("2001:db8::cb00:7101 ["));
  }

  @Test
  void requestWithoutProxyHeaderIsRefused() throws Exception {
    assertThat(get("/", false)).doesNotContain("S9");
  }

  @Test
  void tenMegabyteDownloadIsTheDeterministicPayload() throws Exception {
    byte[] response = getBytes("/" + Payload.NAME);
    int body = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
    byte[] payload = java.util.Arrays.copyOfRange(response, body, response.length);
    assertThat(payload).hasSize(Payload.SIZE);
    assertThat(Payload.sha256(payload)).isEqualTo(Payload.sha256());
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertThat(get("/nope", true)).startsWith("HTTP/1.1 404");
  }

  private String get(String path, boolean proxyHeader) throws IOException {
    return new String(request(path, proxyHeader), StandardCharsets.UTF_8);
  }

  private byte[] getBytes(String path) throws IOException {
    return request(path, true);
  }

  private byte[] request(String path, boolean proxyHeader) throws IOException {
    try (Socket s = new Socket(InetAddress.getByName("::1"), site.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      if (proxyHeader) {
        out.write("PROXY TCP6 2001:db8::cb00:7101 ::1 40000 80\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(("GET " + path + " HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return in.readAllBytes();
    } catch (java.net.SocketException e) {
      return new byte[0];
    }
  }

  private String log() {
    try {
      return Files.readString(site.errorLog());
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private String access() {
    try {
      return Files.readString(dir.resolve("log/nginx-access.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
