package org.example.lb.dns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.example.lb.common.cli.Logs;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.health.ServiceType;
import org.example.lb.dns.server.DnsConfig;
import org.example.lb.dns.server.DnsNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dns-tier}: the authoritative DNS server of tier 4. See docs/dns.md. */
@Command(
    name = "dns-tier",
    mixinStandardHelpOptions = true,
    version = "dns-tier 0.1",
    description = {
      "Authoritative DNS server over UDP and TCP (Netty native epoll, one SO_REUSEPORT socket per worker). Zones are "
          + "RFC 1035 master files, parsed by dnsjava and compiled into wire-format answers that are swapped "
          + "atomically on reload (SIGHUP, or a changed config or zone file; a broken zone keeps its previous "
          + "version).",
      "EDNS0, NSID, CHAOS id.server/version.server, RFC 8482 minimal ANY, referrals with glue, CNAME chains inside "
          + "a zone, wildcards. See docs/dns.md.",
      "Dynamic names answer from health-checked resources with gdnsd's semantics (multifo, simplefo, weighted; "
          + "http_status, tcp_connect, extfile and static monitors; TTLs by health; admin_state overrides)."
    },
    subcommands = {DnsTierCommand.Run.class, DnsTierCommand.Status.class, DnsTierCommand.States.class,
        DnsTierCommand.CheckConfig.class})
public final class DnsTierCommand {
  public static void main(String[] args) {
    ServiceMain.exit(new DnsTierCommand(), args);
  }

  /** Options shared by the subcommands that read the server's config. */
  static class Common {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the server's YAML config")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "debug logging, stack traces of unexpected errors")
    boolean verbose;

    DnsConfig load() throws ConfigException {
      Logs.init(verbose);
      return ConfigLoader.load(config, DnsConfig.class);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the server in the foreground. SIGHUP, "
      + "or a change of the config file or a zone file, reloads (a zone that fails to load keeps its previous "
      + "version, and the failure is logged with file:line); SIGTERM/SIGINT stop it (exit 0).")
  static final class Run extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DnsConfig c = load();
      return ServiceMain.serve(DnsNode.start(c, config));
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running server's zones (serial, last load) and counters.")
  static final class Status extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON status")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return ServiceMain.printStatus("dns-tier", load().admin().port(), json, DnsNode::render);
    }
  }

  @Command(name = "states", mixinStandardHelpOptions = true, description = "Show the running server's monitored "
      + "states (gdnsdctl states: STATE and REAL, ! when forced by admin_state, TTL, last check) and what each "
      + "resource answers with.")
  static final class States extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print the raw JSON (/states)")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return ServiceMain.printView("dns-tier", "states", load().admin().port(), json, DnsNode::renderStates);
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true, description = "Validate a config file and its "
      + "zone files and print what they configure; exit 2 with file:line and the reason if invalid.")
  static final class CheckConfig extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DnsConfig c = load();
      AnswerTable table = DnsNode.compile(c, config);
      StringBuilder zones = new StringBuilder();
      table.zones().forEach(z -> zones.append(zones.isEmpty() ? "" : ", ").append(z.origin())
          .append(" (serial ").append(z.serial()).append(", ").append(z.records().size()).append(" records)"));
      System.out.println(config + ": valid: node " + c.node() + ", " + c.listen().addresses() + " port "
          + c.listen().port() + ", " + c.workers() + " workers, zones " + zones + (c.dynamic().isEmpty() ? ""
          : ", " + c.dynamic().size() + " dynamic names from " + c.resources().size() + " resources"));
      Path ext = DnsConfig.extDirectory(config.toAbsolutePath().getParent());
      c.serviceTypes().forEach((name, type) -> {
        if (type.plugin() == ServiceType.Plugin.EXTFILE) {
          Path file = type.extFile(ext);
          System.out.println("service type " + name + " reads " + file + (Files.isRegularFile(file) ? ""
              : " (not there yet: its monitors stay UP until it is)"));
        }
      });
      return 0;
    }
  }
}
