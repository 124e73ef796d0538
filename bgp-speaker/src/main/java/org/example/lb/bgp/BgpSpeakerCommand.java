package org.example.lb.bgp;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.example.lb.bgp.speaker.SpeakerConfig;
import org.example.lb.bgp.speaker.SpeakerNode;
import org.example.lb.common.cli.Logs;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgp-speaker}: announces service prefixes through the local gobgpd while healthy. See docs/bgp.md. */
@Command(
    name = "bgp-speaker",
    mixinStandardHelpOptions = true,
    version = "bgp-speaker 0.1",
    description = {
      "Announces service prefixes (the VIPs) through the local gobgpd's gRPC API while the service is healthy, with "
          + "ExaBGP healthcheck's semantics: rise/fall, a fast interval while changing, a maintenance flag file "
          + "(/etc/lb/disable) that withdraws, DOWN withdrawn or demoted by MED, hooks on state changes.",
      "Health sources: the local l4-director's quorum, a command, or an HTTP URL. See docs/bgp.md."
    },
    subcommands = {BgpSpeakerCommand.Run.class, BgpSpeakerCommand.Status.class, BgpSpeakerCommand.CheckConfig.class})
public final class BgpSpeakerCommand {
  public static void main(String[] args) {
    ServiceMain.exit(new BgpSpeakerCommand(), args);
  }

  /** Options shared by the subcommands that read the speaker's config. */
  static class Common {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the speaker's YAML config")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "debug logging, stack traces of unexpected errors")
    boolean verbose;

    SpeakerConfig load() throws ConfigException {
      Logs.init(verbose);
      return ConfigLoader.load(config, SpeakerConfig.class);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the speaker in the foreground. SIGHUP, "
      + "or a change of the config file, reloads it (an invalid new config keeps the running one and logs why); "
      + "SIGTERM/SIGINT withdraw every announced route, then stop (exit 0).")
  static final class Run extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      SpeakerConfig c = load();
      return ServiceMain.serve(SpeakerNode.start(c, config));
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running speaker's health state, gobgpd, BGP sessions and announced routes.")
  static final class Status extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON status")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return ServiceMain.printStatus("bgp-speaker", load().admin().port(), json, SpeakerNode::render);
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Validate a config file and print what it configures; exit 2 with file:line and the reason if invalid.")
  static final class CheckConfig extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      SpeakerConfig c = load();
      String source = c.health().director().map(u -> "director " + u)
          .or(() -> c.health().command().map(cmd -> "command " + String.join(" ", cmd)))
          .orElseGet(() -> "url " + c.health().url().orElseThrow());
      System.out.println(config + ": valid: node " + c.node() + ", AS " + c.bgp().asn() + ", "
          + c.bgp().peers().size() + " peers, " + c.announce().prefixes().size() + " prefixes, health from " + source);
      return 0;
    }
  }
}
