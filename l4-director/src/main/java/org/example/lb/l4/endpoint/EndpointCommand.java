package org.example.lb.l4.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.example.lb.common.cli.Logs;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunnel-endpoint}: the LB7 side of the L4 tier's tunnels (the kernel's ipip module's role, in userspace).
 * Usable on its own ({@link #main}) or as a subcommand of {@code l4-director}. See {@code --help}.
 */
@Command(
    name = "tunnel-endpoint",
    mixinStandardHelpOptions = true,
    version = "tunnel-endpoint 0.1",
    description = {
      "Receives the directors' IPv4-in-IPv4, IPv6-in-IPv6, IPv6-in-IPv4 and IPv4-in-IPv6 tunnel packets on raw",
      "sockets, strips the outer header and writes the inner packet to a TUN device when its destination is one",
      "of this LB7's VIPs (on lo) and its outer source one of the directors; replies go straight to the client."
    },
    subcommands = {EndpointCommand.Run.class, EndpointCommand.Status.class})
public final class EndpointCommand {
  /** A command ready for {@link ServiceMain#execute} or to be registered as a picocli subcommand. */
  public EndpointCommand() {}

  public static void main(String[] args) {
    ServiceMain.exit(new EndpointCommand(), args);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run the endpoint in the foreground (needs CAP_NET_ADMIN and CAP_NET_RAW).",
          "SIGHUP re-reads the config: new VIPs and directors apply at once without losing packets; an invalid",
          "config keeps the running one. SIGTERM/SIGINT stop it (exit 0)."})
  static final class Run implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "the endpoint's YAML config")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "debug logging")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
      Logs.init(verbose);
      EndpointConfig c = ConfigLoader.load(config, EndpointConfig.class);
      return ServiceMain.serve(EndpointNode.start(config, c));
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running endpoint's VIPs, directors and packet counters (from its admin endpoint).")
  static final class Status implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON status")
    boolean json;

    @Option(names = "--admin-port", paramLabel = "N", defaultValue = "" + EndpointConfig.Admin.DEFAULT_PORT,
        description = "the endpoint's admin port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (adminPort < 1 || adminPort > 65535) {
        throw new ServiceMain.UserError("--admin-port: " + adminPort + " (expected: a port 1-65535)");
      }
      PrintWriter out = spec.commandLine().getOut();
      String body;
      try {
        body = fetchStatus(adminPort);
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: no tunnel-endpoint answers on 127.0.0.1:" + adminPort
            + " (" + e.getMessage() + ")");
        return 1;
      }
      out.print(json ? body + (body.endsWith("\n") ? "" : "\n") : StatusView.render(body));
      out.flush();
      return 0;
    }
  }

  /** GET /status with a blocking socket (created on the calling thread, so in its network namespace). */
  static String fetchStatus(int port) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/status").toURL()
        .openConnection(java.net.Proxy.NO_PROXY);
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    try (InputStream in = c.getInputStream()) {
      if (c.getResponseCode() != 200) {
        throw new IOException("HTTP " + c.getResponseCode());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
