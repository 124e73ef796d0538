package org.example.lb.l4.endpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;

/**
 * The real tunnel endpoint ({@link EndpointNode}: raw sockets, {@link DecapsulationWorker}, admin endpoint) started
 * in-process, for programs outside this package such as benchmarks. Everything is created in the network namespace
 * of the thread calling {@link #start}.
 */
public final class InProcessEndpoint implements AutoCloseable {
  private final EndpointNode node;

  private InProcessEndpoint(EndpointNode node) {
    this.node = node;
  }

  /** Loads {@code configFile} (an {@link EndpointConfig}) and starts the endpoint as {@code tunnel-endpoint run}. */
  public static InProcessEndpoint start(Path configFile) throws IOException, ConfigException {
    return new InProcessEndpoint(EndpointNode.start(configFile, ConfigLoader.load(configFile, EndpointConfig.class)));
  }

  /** Tunnel packets received on the raw sockets. */
  public long received() {
    return node.received();
  }

  /** Inner packets written to the TUN device. */
  public long delivered() {
    return node.delivered();
  }

  /** The endpoint's status, as {@code /status} serves it. */
  public String statusJson() {
    return node.statusJson();
  }

  /** Stops the loop and closes sockets, device and admin endpoint. */
  @Override
  public void close() {
    node.close();
  }
}
