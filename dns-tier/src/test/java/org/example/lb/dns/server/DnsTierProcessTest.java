package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.Poll;
import org.example.lb.dns.DnsTierCommand;
import org.example.lb.dns.TestClient;
import org.example.lb.dns.TestServer;
import org.example.lb.dns.TestZones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dns-tier run} as its own process: serves, reloads on SIGHUP, exits 0 on SIGTERM. */
class DnsTierProcessTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir Path dir;

  @Test
  void servesReloadsOnSighupAndStopsOnSigterm() throws Exception {
    Path zone = dir.resolve("example.com.zone");
    Files.copy(TestZones.file("example.com"), zone);
    TestServer server = TestServer.in(dir, List.of("127.0.0.1"), 1);
    Path config = server.write("zones: { example.com: example.com.zone }\n");
    int port = server.port();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (ChildProcess p = ChildProcess.start("dns-tier", List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), DnsTierCommand.class.getName(), "run", "--config",
        config.toString()), dir.resolve("dns-tier.log"))) {
      Poll.until(DEADLINE, () -> "the server to start; its log: " + p.log(), () -> p.log().contains("serving 1 zones"));
      assertThat(TestClient.serial(port, "example.com.")).isEqualTo(2026010101L);

      Files.writeString(zone, Files.readString(zone).replace("2026010101", "2026010102"));
      signal("HUP", p.pid());
      Poll.until(DEADLINE, () -> "a reload; log: " + p.log(), () -> p.log().contains("SIGHUP: reloading"));
      Poll.until(DEADLINE, "the new serial", () -> TestClient.serial(port, "example.com.") == 2026010102L);

      p.terminate();
      assertThat(p.awaitExit(DEADLINE)).hasValue(0);
      assertThat(p.log()).contains("SIGTERM: shutting down", "stopped");
    }
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
