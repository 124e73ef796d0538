package org.example.lb.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.FreePorts;
import org.example.lb.dns.server.DnsConfig;
import org.example.lb.dns.server.DnsNode;

/**
 * A dns-tier server for tests: its config in {@code dns.yaml} of a directory (node T1, free ports for DNS and the admin
 * endpoint, the listen addresses and workers given), the rest of the config given by each test; started in the test's
 * process (or by the test as a process of its own).
 */
public final class TestServer implements AutoCloseable {
  private final Path configFile;
  private final List<String> addresses;
  private final int workers;
  private final int port;
  private final int adminPort;
  private DnsNode node;

  private TestServer(Path configFile, List<String> addresses, int workers, int port, int adminPort) {
    this.configFile = configFile;
    this.addresses = addresses;
    this.workers = workers;
    this.port = port;
    this.adminPort = adminPort;
  }

  /** A server configured in {@code dir}/dns.yaml to listen on {@code addresses} at a free port. */
  public static TestServer in(Path dir, List<String> addresses, int workers) {
    int[] ports = FreePorts.take(2);
    return new TestServer(dir.resolve("dns.yaml"), addresses, workers, ports[0], ports[1]);
  }

  /** The config: node, listen, workers and admin, then {@code rest} (zones, nsid, serviceTypes...). */
  public String yaml(String rest) {
    return """
        node: T1
        listen: { addresses: [%s], port: %d }
        workers: %d
        admin: { port: %d }
        """.formatted(addresses.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")), port, workers,
        adminPort) + rest;
  }

  /** Writes the config with {@code rest}. */
  public Path write(String rest) throws IOException {
    Files.writeString(configFile, yaml(rest));
    return configFile;
  }

  /** Writes the config with {@code rest} and starts the server. */
  public DnsNode start(String rest) throws Exception {
    write(rest);
    node = DnsNode.start(ConfigLoader.load(configFile, DnsConfig.class), configFile);
    return node;
  }

  public DnsNode node() {
    return node;
  }

  public Path configFile() {
    return configFile;
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
  }
}
