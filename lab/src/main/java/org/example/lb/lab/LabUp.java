package org.example.lb.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.lab.bgp.BgpTier;
import org.example.lb.lab.dns.DnsTier;
import org.example.lb.lab.l4.L4Tier;
import org.example.lb.lab.l7.L7Tier;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.LabNetwork;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ModuleBuild;
import org.example.lb.lab.node.NginxSite;
import org.example.lb.lab.node.Payload;
import org.example.lb.lab.node.ReadinessCheck;
import org.example.lb.lab.node.ServiceLauncher;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabLock;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.LabState;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.status.TierView;
import org.example.lb.lab.status.TierViewText;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * Brings a topology up: namespaces and links ({@link LabNetwork}), per-node directories, nginx on
 * servers, the L7 tier ({@link L7Tier}), then waits until every service answers and the view across the tiers
 * ({@link TierView}) is healthy. Every resource is
 * journaled before it is created. On failure the lab is torn down again unless asked to keep it.
 */
public final class LabUp {
  /** How long the tiers may take to report healthy together once each service answered. */
  private static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);

  /** Default JVM options of the lab's own JVMs (env LB_JAVA_OPTS overrides). */
  public static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -Xmx96m -XX:TieredStopAtLevel=1 -Xss512k";

  /**
   * @param topology      the topology file
   * @param sizes         group size overrides
   * @param replace       tear down a lab that is already up first
   * @param l7            start the L7 tier (l7-agent, HAProxy)
   * @param timeout       how long to wait for every service to answer
   * @param keepOnFailure leave a failed lab in place for inspection
   * @param haltAfter     crash simulation (tests): halt once the journal holds that many resources; -1 off
   */
  public record Options(Path topology, Map<String, Integer> sizes, boolean replace, boolean l7, Duration timeout,
      boolean keepOnFailure, int haltAfter) {}

  private final Path repoRoot;
  private final LabPaths paths;
  private final PrintStream out;

  public LabUp(Path repoRoot, LabPaths paths, PrintStream out) {
    this.repoRoot = repoRoot;
    this.paths = paths;
    this.out = out;
  }

  /** Brings the lab up; returns the exit code. */
  public int run(Options options) throws IOException, ConfigException {
    long startNanos = System.nanoTime();
    Topology topology = Topology.load(options.topology(), options.sizes());
    requireTools(options.l7());
    Optional<LabLock> lock = LabLock.tryAcquire(paths.lock());
    if (lock.isEmpty()) {
      throw new ServiceMain.UserError("another bin/lab up or down is running (pid " + LabLock.holder(paths.lock())
          + "); wait for it to finish");
    }
    try (LabLock held = lock.get()) {
      int code = runLocked(options, topology, startNanos);
      if (!Files.exists(paths.journal())) {
        held.closeAndDelete(); // nothing is up: leave no lock file behind either
      }
      return code;
    }
  }

  private int runLocked(Options options, Topology topology, long startNanos) throws IOException {
    {
      Optional<LabState> existing = Journal.read(paths.journal());
      if (existing.isPresent()) {
        if (!options.replace()) {
          LabState s = existing.get();
          throw new ServiceMain.UserError("a lab is already " + (s.phase().equals("up") ? "up" : "present (phase "
              + s.phase() + ", " + s.resources().size() + " resources)") + " since " + s.createdAt()
              + "; run `bin/lab down` first, or `bin/lab up --replace`");
        }
        out.println("replacing the lab that is up (" + existing.get().phase() + ")");
        if (!new LabDown(paths, out).tearDown()) {
          return 1;
        }
      } else if (Files.exists(paths.stateDir())) {
        new LabDown(paths, out).tearDown(); // removes a leftover empty state directory, or says why not
      }
      List<String> conflicts = new ArrayList<>(LabNetwork.conflicts(topology));
      for (Node node : topology.nodes()) {
        if (Files.exists(paths.etcNetns().resolve(node.name())) && !conflicts.contains(node.name())) {
          conflicts.add(paths.etcNetns().resolve(node.name()).toString());
        }
      }
      if (!conflicts.isEmpty()) {
        throw new ServiceMain.UserError("not created by the lab, in the way of its nodes: " + String.join(", ", conflicts)
            + " (remove them, e.g. `ip netns delete NAME`, or rename the nodes in " + options.topology() + ")");
      }
      if (Files.exists(paths.stateDir())) {
        throw new ServiceMain.UserError(paths.stateDir() + " exists without a lab journal; inspect and remove it");
      }
      L7Tier l7 = new L7Tier(repoRoot, paths);
      if (options.l7()) {
        ModuleBuild.ensureBuilt(repoRoot, List.of("l7-agent", "l4-director", "bgp-speaker", "dns-tier"), out::println);
      }

      Files.createDirectories(paths.stateDir());
      Journal journal = Journal.create(paths.journal(), new LabState(LabState.VERSION, "building",
          Instant.now().toString(), options.topology().toAbsolutePath().toString(), options.sizes(),
          summaries(topology), List.of(new Resource.Directory(paths.stateDir().toString()))));
      if (options.haltAfter() >= 0) {
        journal.haltAfter(options.haltAfter());
      }
      Thread interrupted = new Thread(() -> {
        if (journal.state().phase().equals("building")) {
          System.err.println("lab up interrupted: what it created is recorded in " + paths.journal()
              + "; remove it with bin/lab down");
        }
      });
      Runtime.getRuntime().addShutdownHook(interrupted);
      try {
        build(topology, journal, l7, options);
        journal.phase("up");
      } catch (RuntimeException | IOException e) {
        journal.phase("failed");
        out.println("error: lab up failed: " + e.getMessage());
        if (options.keepOnFailure()) {
          out.println("the lab is left as it is for inspection (bin/lab status, bin/lab logs NODE); remove it with bin/lab down");
        } else {
          out.println("tearing down what was built...");
          new LabDown(paths, out).tearDown();
        }
        return 1;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(interrupted);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook says what to do
        }
      }
      printSummary(topology, journal.state(), options.l7());
      demonstrate(topology, options.l7());
      out.printf("lab up in %.1fs%n", (System.nanoTime() - startNanos) / 1e9);
      return 0;
    }
  }

  private void requireTools(boolean l7) {
    List<String> missing = new ArrayList<>();
    List<String> tools = new ArrayList<>(List.of("/usr/sbin/ip", "/usr/sbin/nginx", "/usr/bin/curl", "/usr/bin/setsid",
        "/usr/sbin/bird", "/usr/sbin/birdc", "/usr/bin/gobgpd", "/usr/bin/gobgp", "/usr/bin/dig"));
    if (l7) {
      tools.add("/usr/sbin/haproxy");
    }
    for (String tool : tools) {
      if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/sbin/", "/bin/")))) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      throw new ServiceMain.UserError("missing tools: " + String.join(", ", missing) + " (run bin/install-deps)");
    }
  }

  static List<LabState.NodeSummary> summaries(Topology topology) {
    return topology.nodes().stream().map(n -> {
      List<String> addresses = new ArrayList<>();
      for (var i : n.interfaces()) {
        i.addresses().forEach(a -> addresses.add(i.segment() + " " + a));
      }
      int lo = n.loopback().size();
      if (lo > 0 && lo <= 8) {
        n.loopback().forEach(a -> addresses.add("lo " + a));
      } else if (lo > 8) {
        addresses.add("lo " + n.loopback().getFirst() + " ... " + n.loopback().getLast() + " (" + lo + " addresses)");
      }
      return new LabState.NodeSummary(n.name(), n.group(), n.role().toString(), addresses);
    }).toList();
  }

  private void build(Topology topology, Journal journal, L7Tier l7, Options options) throws IOException {
    out.println("creating " + topology.namespaces().size() + " namespaces and " + topology.segments().size() + " segments...");
    if (!Files.isDirectory(paths.etcLb())) {
      journal.record(new Resource.HostDirectory(paths.etcLb().toString()));
      Files.createDirectories(paths.etcLb());
    }
    if (!Files.isDirectory(paths.etcNetns())) {
      journal.record(new Resource.HostDirectory(paths.etcNetns().toString()));
      Files.createDirectories(paths.etcNetns());
    }
    LabNetwork.build(topology, journal);
    for (Node node : topology.nodes()) {
      LabPaths.NodeDirs dirs = paths.node(node.name());
      journal.record(new Resource.Directory(dirs.flags().getParent().toString()));
      Files.createDirectories(dirs.flags());
      Files.createDirectories(dirs.conf());
      Files.createDirectories(dirs.log());
      Files.createDirectories(dirs.run());
    }
    ServiceLauncher launcher = new ServiceLauncher(journal, serviceEnvironment(repoRoot));
    List<ReadinessCheck> checks = new ArrayList<>();

    BgpTier bgp = new BgpTier(repoRoot, paths);
    bgp.configure(topology);
    out.println("starting BIRD on " + BgpTier.routers(topology).size() + " routers, gobgpd on "
        + topology.nodesWithRole(Role.REFLECTOR).size() + " route reflectors and " + BgpTier.speakers(topology).size()
        + " speakers (gobgpd and bgp-speaker)...");
    for (Node node : BgpTier.routers(topology)) {
      bgp.startRouter(node, launcher);
    }
    for (Node node : topology.nodesWithRole(Role.REFLECTOR)) {
      bgp.startReflector(node, launcher);
    }
    for (Node node : BgpTier.speakers(topology)) {
      bgp.startSpeakerDaemon(node, launcher);
    }
    checks.addAll(bgp.daemonChecks(topology));
    DnsTier dns = new DnsTier(repoRoot, paths);
    dns.configure(topology);
    List<Node> dnsNodes = topology.nodesWithRole(Role.DNS);
    out.println("starting dns-tier on " + dnsNodes.size() + " DNS nodes...");
    for (Node node : dnsNodes) {
      dns.start(node, launcher);
    }
    // The speakers start now, so their BGP sessions (GoBGP waits 5-10 s before its first connect) come up while the
    // other tiers start; an L4 speaker announces once its director, started below, has a quorum.
    for (Node node : BgpTier.speakers(topology)) {
      bgp.startSpeaker(node, launcher);
    }
    checks.addAll(bgp.speakerChecks(topology));

    List<Node> servers = topology.nodesWithRole(Role.SERVER);
    if (!servers.isEmpty()) {
      Files.createDirectories(paths.www());
      Payload.write(paths.www().resolve(Payload.NAME));
    }
    out.println("starting nginx on " + servers.size() + " servers"
        + (options.l7() ? ", l7-agent, HAProxy and the L4 tier (directors, tunnel endpoints)" : "") + "...");
    for (Node node : servers) {
      NginxSite site = nginxSite(paths, node);
      Files.writeString(site.configFile(), site.render(true));
      launcher.start(node.name(), "nginx", site.command(), paths.node(node.name()).log().resolve("nginx.log"));
      checks.add(ReadinessCheck.http(node.name(), "nginx /healthcheck", "http://" + site.authority() + "/healthcheck",
          "--haproxy-protocol"));
    }
    if (options.l7()) {
      l7.writeConfigs(topology);
      for (Node node : servers) {
        l7.startServer(node, launcher);
      }
      List<Node> balancers = topology.nodesWithRole(Role.L7);
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> started = new ArrayList<>();
        for (Node node : balancers) {
          started.add(executor.submit(() -> l7.startBalancer(node, launcher)));
        }
        for (Future<?> f : started) {
          try {
            f.get();
          } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new LabFailure(e.getCause().toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabFailure("interrupted");
          }
        }
      }
      checks.addAll(l7.checks(topology));
      L4Tier l4 = new L4Tier(repoRoot, paths);
      l4.configure(topology);
      for (Node node : balancers) {
        l4.startEndpoint(node, launcher);
      }
      for (Node node : topology.nodesWithRole(Role.L4)) {
        l4.startDirector(node, launcher);
      }
      checks.addAll(bgp.routeChecks(topology)); // BGP converged: every router has every speaker's path
      checks.addAll(l4.checks(topology));
      checks.addAll(dns.checks(topology)); // every VIP checked UP by every DNS node, through the whole stack
    }
    out.println("waiting for " + checks.size() + " services to answer (up to " + options.timeout().toSeconds() + "s)...");
    List<ReadinessCheck> failed = ReadinessCheck.awaitAll(checks, options.timeout(), Duration.ofMillis(200));
    if (!failed.isEmpty()) {
      for (ReadinessCheck check : failed) {
        out.println("not answering: " + check);
        for (String line : logTail(check.node(), 3)) {
          out.println("    " + line);
        }
      }
      throw new LabFailure(failed.size() + " of " + checks.size() + " services did not answer within "
          + options.timeout().toSeconds() + "s");
    }
    if (options.l7()) {
      awaitHealthyTiers(topology);
    }
  }

  /**
   * Each service answered once; now the view across the tiers ({@code bin/lab status}) must be healthy as a whole, at
   * one moment, so that what follows {@code lab up} starts on a settled stack: every check that went DOWN while the
   * JVMs started has risen again.
   */
  private void awaitHealthyTiers(Topology topology) {
    out.println("waiting until every tier reports healthy (up to " + SETTLE_WITHIN.toSeconds() + "s)...");
    long start = System.nanoTime();
    int[] unhealthy = {0};
    TierView view;
    try {
      view = TierView.awaitHealthy(topology, SETTLE_WITHIN, v -> unhealthy[0]++);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabFailure("interrupted while waiting for the tiers to report healthy");
    }
    if (!view.healthy()) {
      TierViewText.unhealthyLines(view).forEach(out::println);
      throw new LabFailure("the tiers did not all report healthy within " + SETTLE_WITHIN.toSeconds()
          + "s (marked ! above; bin/lab status shows them all)");
    }
    out.printf("every tier healthy after %.1fs (%d unhealthy views before)%n", (System.nanoTime() - start) / 1e9,
        unhealthy[0]);
  }

  /** The environment of the services the lab starts: the JVM options of their JVMs and the repository. */
  public static Map<String, String> serviceEnvironment(Path repoRoot) {
    Map<String, String> env = new HashMap<>();
    String javaOpts = System.getenv("LB_JAVA_OPTS");
    env.put("LB_JAVA_OPTS", javaOpts == null || javaOpts.isBlank() ? DEFAULT_JAVA_OPTS : javaOpts);
    env.put("LB_ROOT", repoRoot.toString());
    return env;
  }

  /** nginx for a server: its first IPv6 address (else IPv4), PROXY protocol trusted from its segments. */
  static NginxSite nginxSite(LabPaths paths, Node node) {
    Cidr listen = node.linkAddresses().stream().filter(Cidr::isIpv6).findFirst()
        .or(() -> node.linkAddresses().stream().findFirst())
        .orElseThrow(() -> new LabFailure(node.name() + ": a server needs an address"));
    List<Cidr> trusted = node.linkAddresses().stream().map(Cidr::network).distinct().toList();
    LabPaths.NodeDirs dirs = paths.node(node.name());
    return new NginxSite(node.name(), listen, L7Tier.HTTP_PORT, trusted, dirs.conf(), dirs.log(), dirs.run(), paths.www());
  }

  private List<String> logTail(String node, int lines) {
    Path logDir = paths.node(node).log();
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.sorted().toList()) {
        List<String> all = Files.readAllLines(f);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.add(f.getFileName() + ": " + l));
      }
    } catch (IOException | RuntimeException e) {
      out.add("(no logs: " + e.getMessage() + ")");
    }
    return out;
  }

  private void printSummary(Topology topology, LabState state, boolean l7) {
    out.println();
    out.printf("%-9s %-9s %-44s %s%n", "NODE", "ROLE", "ADDRESSES", "SERVICES");
    for (LabState.NodeSummary n : state.nodes()) {
      List<String> services = state.processes().stream().filter(p -> p.node().equals(n.name()))
          .map(p -> p.service() + " " + p.pid()).toList();
      List<String> addresses = n.addresses().isEmpty() ? List.of("-") : n.addresses();
      for (int i = 0; i < addresses.size(); i++) {
        out.printf("%-9s %-9s %-44s %s%n", i == 0 ? n.name() : "", i == 0 ? n.role() : "", addresses.get(i),
            i == 0 ? String.join(", ", services) : "");
      }
    }
    out.println();
    if (!l7) {
      out.println("L7 tier not started (--no-l7)");
    }
  }

  /** One request from the users node, from a client address, to the first VIP: through every tier. */
  private void demonstrate(Topology topology, boolean l7) {
    List<Node> clients = topology.nodesWithRole(Role.CLIENT);
    if (!l7 || clients.isEmpty() || topology.vips().isEmpty() || topology.clientAddresses().isEmpty()) {
      return;
    }
    Node client = clients.getFirst();
    var source = topology.clientAddresses().stream().filter(a -> !Cidr.host(a).isIpv6())
        .skip(Math.min(183, topology.clientAddresses().size() / 2 - 1)).findFirst();
    var target = topology.vips().stream().map(Cidr::host).filter(v -> !v.isIpv6()).findFirst();
    if (source.isEmpty() || target.isEmpty()) {
      return;
    }
    String from = Cidr.host(source.get()).addressText();
    String url = "http://" + target.get().addressText() + "/";
    Exec.Result r = Netns.exec(client.name(), List.of("curl", "-s", "--max-time", "5", "--interface", from, url),
        Duration.ofSeconds(10));
    out.println("demo: " + client.name() + " $ curl --interface " + from + " " + url + "  ->  "
        + (r.ok() ? r.stdout().strip() + " answered" : "failed (curl exit " + r.exitCode() + ")"));
    if (!topology.nodesWithRole(Role.DNS).isEmpty()) {
      String named = "http://www." + DnsTier.ZONE + "/";
      Exec.Result n = Netns.exec(client.name(), List.of("curl", "-s", "--max-time", "5", "-w", " (%{remote_ip})",
          named), Duration.ofSeconds(10));
      out.println("demo: " + client.name() + " $ curl " + named + "  ->  "
          + (n.ok() ? n.stdout().strip().replaceAll("\\s+", " ") + " answered"
              : "failed (curl exit " + n.exitCode() + ")"));
    }
  }
}
