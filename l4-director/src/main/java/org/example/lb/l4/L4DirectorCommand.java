package org.example.lb.l4;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.example.lb.common.cli.Logs;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.l4.director.DirectorConfig;
import org.example.lb.l4.director.DirectorNode;
import org.example.lb.l4.endpoint.EndpointCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code l4-director}: the L4 tier. See {@code --help} and docs/l4.md. */
@Command(
    name = "l4-director",
    mixinStandardHelpOptions = true,
    version = "l4-director 0.1",
    description = {
      "Userspace Maglev L4 director: reads the packets the VIP routes send into a TUN device, picks an LB7 "
          + "(Maglev consistent hashing, flow table) and sends them IPIP / IP6IP6 to it; replies go straight back.",
      "On the LB7s, `tunnel-endpoint` decapsulates them and hands them to the local HAProxy. See docs/l4.md."
    },
    subcommands = {
      L4DirectorCommand.Run.class,
      L4DirectorCommand.Status.class,
      L4DirectorCommand.CheckConfig.class,
      EndpointCommand.class,
    })
public final class L4DirectorCommand {
  public static void main(String[] args) {
    ServiceMain.exit(new L4DirectorCommand(), args);
  }

  /** Options shared by the subcommands that read the director's config. */
  static class Common {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the director's YAML config")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "debug logging, stack traces of unexpected errors")
    boolean verbose;

    DirectorConfig load() throws ConfigException {
      Logs.init(verbose);
      return ConfigLoader.load(config, DirectorConfig.class);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the director in the foreground. SIGHUP, "
      + "or a change of the config file, reloads it (an invalid new config keeps the running one and logs why); "
      + "SIGTERM/SIGINT stop it (exit 0).")
  static final class Run extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DirectorConfig c = load();
      return ServiceMain.serve(DirectorNode.start(c, config));
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running director's LB7s, flows, workers and drops (from its admin endpoint on 127.0.0.1).")
  static final class Status extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON status")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return ServiceMain.printStatus("l4-director", load().admin().port(), json, DirectorNode::render);
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Validate a config file and print what it configures; exit 2 with file:line and the reason if invalid.")
  static final class CheckConfig extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DirectorConfig c = load();
      System.out.println(config + ": valid: node " + c.node() + ", " + c.services().size() + " services, "
          + c.backends().size() + " LB7s, scheduler " + c.scheduling().scheduler() + ", "
          + c.device().workers() + " workers on " + c.device().name());
      return 0;
    }
  }
}
