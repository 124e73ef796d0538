package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.dns.DnsTierCommand;
import org.example.lb.dns.TestZones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** {@code dns-tier run} as its own process: serves, reloads on SIGHUP, exits 0 on SIGTERM. */
class DnsTierProcessTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir Path dir;

  @Test
  void servesReloadsOnSighupAndStopsOnSigterm() throws Exception {
    Path zone = dir.resolve("example.com.zone");
    Files.copy(TestZones.file("example.com"), zone);
    int[] ports = FreePorts.take(2);
    Path config = dir.resolve("dns.yaml");
    Files.writeString(config, """
        node: P1
        listen: { addresses: [127.0.0.1], port: %d }
        workers: 1
        zones: { example.com: example.com.zone }
        admin: { port: %d }
        """.formatted(ports[0], ports[1]));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (ChildProcess p = ChildProcess.start("dns-tier", List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), DnsTierCommand.class.getName(), "run", "--config",
        config.toString()), dir.resolve("dns-tier.log"))) {
      Poll.until(DEADLINE, () -> "the server to start; its log: " + p.log(), () -> p.log().contains("serving 1 zones"));
      assertThat(serial(ports[0])).isEqualTo(2026010101L);

      Files.writeString(zone, Files.readString(zone).replace("2026010101", "2026010102"));
      signal("HUP", p.pid());
      Poll.until(DEADLINE, () -> "a reload; log: " + p.log(), () -> p.log().contains("SIGHUP: reloading"));
      Poll.until(DEADLINE, "the new serial", () -> serial(ports[0]) == 2026010102L);

      p.terminate();
      assertThat(p.awaitExit(DEADLINE)).hasValue(0);
      assertThat(p.log()).contains("SIGTERM: shutting down", "stopped");
    }
  }

  private static long serial(int port) {
    try {
      SimpleResolver r = new SimpleResolver(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      r.setTimeout(Duration.ofSeconds(2));
      Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.SOA, DClass.IN)));
      return ((SOARecord) m.getSection(Section.ANSWER).getFirst()).getSerial();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
