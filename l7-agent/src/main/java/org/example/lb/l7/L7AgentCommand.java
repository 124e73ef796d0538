package org.example.lb.l7;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.example.lb.common.cli.Logs;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.haproxy.HaproxyReload;
import org.example.lb.l7.runtime.ReloadOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code l7-agent}: the L7 tier's agent. See {@code --help} and docs/l7.md. */
@Command(
    name = "l7-agent",
    mixinStandardHelpOptions = true,
    version = "l7-agent 0.1",
    description = {
      "HAProxy agent-check server, runtime-socket client and controller of /etc/lb flags.",
      "On a server node: `agent` serves the node's /etc/lb/agent-check to HAProxy's agent checks.",
      "On a load balancer node: `run` also controls the node's HAProxy: it pushes every server's state change",
      "at once through the runtime API, drains before maintenance, and applies the node's own maintenance flag."
    },
    subcommands = {
      L7AgentCommand.Agent.class,
      L7AgentCommand.Run.class,
      L7AgentCommand.HaproxyConfigCommand.class,
      L7AgentCommand.Reload.class,
      L7AgentCommand.Status.class
    })
public final class L7AgentCommand {
  public static void main(String[] args) {
    ServiceMain.exit(new L7AgentCommand(), args);
  }

  /** Options shared by every subcommand. */
  static class Common {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the node's l7-agent YAML config")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "debug logging, stack traces of unexpected errors")
    boolean verbose;

    L7Config load() throws ConfigException {
      Logs.init(verbose);
      return ConfigLoader.load(config, L7Config.class);
    }

    L7Config loadLoadBalancer() throws ConfigException {
      L7Config c = load();
      if (c.haproxy().isEmpty()) {
        throw new ConfigException(config, 0, "haproxy: missing (expected: a haproxy section on a load balancer node)");
      }
      return c;
    }
  }

  @Command(name = "agent", mixinStandardHelpOptions = true,
      description = "Serve this node's agent-check (server nodes). Runs until SIGTERM/SIGINT, then exits 0.")
  static final class Agent extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      L7Config c = load();
      return ServiceMain.serve(AgentNode.start(c));
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Serve this node's agent-check and control its HAProxy (load balancer nodes).",
          "SIGHUP re-reads the config and reloads HAProxy; an invalid config keeps the running one.",
          "SIGTERM/SIGINT stop it (exit 0); HAProxy keeps the states applied so far."})
  static final class Run extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      L7Config c = loadLoadBalancer();
      return ServiceMain.serve(LoadBalancerNode.start(config, c));
    }
  }

  @Command(name = "haproxy-config", mixinStandardHelpOptions = true,
      description = "Write the node's haproxy.cfg (atomically) to haproxy.configFile and print its path.")
  static final class HaproxyConfigCommand extends Common implements Callable<Integer> {
    @Option(names = "--stdout", description = "print the configuration instead of writing it")
    boolean stdout;

    @Override
    public Integer call() throws Exception {
      L7Config c = loadLoadBalancer();
      if (stdout) {
        System.out.print(HaproxyConfig.render(c, config));
      } else {
        System.out.println(HaproxyConfig.write(c, config));
      }
      return 0;
    }
  }

  @Command(name = "reload", mixinStandardHelpOptions = true,
      description = {"Reload HAProxy without dropping connections: regenerate and check the config, dump the",
          "server state atomically, reload through the master CLI and wait for the new worker."})
  static final class Reload extends Common implements Callable<Integer> {
    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
        description = "how long to wait for the new worker (default: ${DEFAULT-VALUE})")
    String timeout;

    @Override
    public Integer call() throws Exception {
      L7Config c = loadLoadBalancer();
      Duration wait = parseDuration("--timeout", timeout);
      ReloadOutcome outcome = HaproxyReload.reload(c, config, wait);
      System.out.println("reloaded: new worker " + outcome.newWorkerPids() + ", previous workers still finishing: "
          + outcome.previousWorkersStillRunning());
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running agent's state (from its admin endpoint on 127.0.0.1).")
  static final class Status extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON status")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return ServiceMain.printStatus("l7-agent", load().admin().port(), json, StatusView::render);
    }
  }

  static Duration parseDuration(String option, String text) {
    try {
      return ConfigLoader.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new ServiceMain.UserError(option + ": " + e.getMessage());
    }
  }
}
