package org.example.lb.l4.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.example.lb.l4.endpoint.InProcessEndpoint;
import org.example.lb.l4.forward.BackendSpec;
import org.example.lb.l4.forward.ForwardingState;
import org.example.lb.l4.forward.HashKey;
import org.example.lb.l4.forward.SchedulerKind;
import org.example.lb.l4.forward.ServiceSpec;
import org.example.lb.l4.forward.Worker;
import org.example.lb.l4.forward.WorkerSettings;
import org.example.lb.l4.forward.WorkerStats;
import org.example.lb.l4.maglev.MaglevTable;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.l4.testing.TestNamespace;

/**
 * Packets per second and added latency of one director {@link Worker} against the kernel plainly forwarding the same
 * traffic, in the same run (issue 3). A benchmark: it measures and prints, it asserts nothing.
 *
 * <p>Builds three namespaces {@code lbbench-gen-*} → {@code lbbench-dut-*} → {@code lbbench-sink-*} joined by veth
 * pairs (MTU 9000 between dut and sink, as the lab's fabric). In the <b>kernel</b> phase the dut routes the VIP
 * 203.0.113.10 to the sink (ip_forward); in the <b>director</b> phase it routes the VIP into a TUN device read by one
 * {@link Worker} (one queue, Maglev over the sink's addresses as LB7s) that tunnels (IPIP) to the sink. Phases
 * alternate kernel, director, kernel, director... and the median of each is reported.
 *
 * <p>Throughput: a {@link UdpFlood} in gen sends as fast as it can (10 % new flows); offered = datagrams the
 * generator's sendmmsg accepted, delivered = rx_packets of the sink's veth, both over the same window after a
 * warm-up; the sink drops them at its veth's ingress hook (nft), so its own receive work costs neither phase. Latency: one UDP datagram in flight from gen to an echo server on the VIP in the sink; in the director
 * phase the real tunnel endpoint ({@link InProcessEndpoint}) decapsulates in the sink, and replies go straight back
 * through the dut's kernel (direct return) in both phases.
 *
 * <p>Options: {@code --duration 5} seconds per phase, {@code --warmup 1}, {@code --rounds 2} (pairs of phases),
 * {@code --payloads 64,1400} ({@code none}: no throughput phases), {@code --round-trips 20000} (0: no latency phases), {@code --senders 1}, {@code --backends 4}. Namespaces
 * and threads are removed on exit, failure or Ctrl-C.
 *
 * <p>{@code --results FILE} also writes the final table's numbers to FILE for programs ({@code bin/lab bench}): one
 * line per row, a kind word then space-separated {@code key=value} fields, numbers without grouping, {@code -} for
 * a value that was not measured; lines starting with {@code #} are comments:
 * <pre>
 * settings cpus=2 kernel=6.1.0-28-amd64 duration_s=5 warmup_s=1 rounds=2 senders=1 backends=4 round_trips=20000
 * throughput payload=64 side=kernel offered_pps=812345 delivered_pps=790000 loss_pct=2.7 worker_cpu_pct=-
 *   sender_cpu_pct=98 machine_busy_pct=180    (one line in the file)
 * throughput payload=64 side=director ... ratio=0.52
 * latency side=kernel p50_us=31.2 p99_us=60.1 p999_us=120.3 lost=0
 * </pre>
 * Throughput rows are medians of the rounds (ratio: director's delivered over the kernel's); latency rows pool the
 * rounds' round trips.
 */
public final class DirectorVsKernelBenchmark {
  private static final String VIP = "203.0.113.10";
  private static final int FLOOD_PORT = 9;
  private static final int ECHO_PORT = 7;
  private static final String GEN = "192.0.2.1";
  private static final String DUT_GEN = "192.0.2.2";
  private static final String DUT_SINK = "192.0.2.129";
  private static final int SINK_FIRST = 130; // 192.0.2.130 and up: the sink's addresses, one per LB7
  private static final String TUN = "lbbench0";
  private static final String SINK_LINK = "sink0";
  private static final String GEN_LINK = "gen0";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private enum Mode { KERNEL, DIRECTOR }

  private record Options(Duration duration, Duration warmup, int rounds, List<Integer> payloads, int roundTrips,
      int senders, int backends, Optional<Path> results) {}

  /** One throughput phase's numbers. */
  private record Rate(Mode mode, double offered, double delivered, double workerCpu, double senderCpu,
      double machineBusy, double machineSoftirq, long tunDrops, long softnetDrops, String worker) {
    double loss() {
      return offered <= 0 ? 0 : Math.max(0, 100 * (1 - delivered / offered));
    }
  }

  private final Options options;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Runnable> stoppers = new ArrayList<>();
  private boolean cleanedUp;
  private TestNamespace gen;
  private TestNamespace dut;
  private TestNamespace sink;
  private Worker worker;
  private Thread workerThread;
  private Path endpointConfig;
  private String loadBefore = "-";

  private DirectorVsKernelBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: DirectorVsKernelBenchmark [--duration S] [--warmup S] [--rounds N] "
          + "[--payloads 64,1400] [--round-trips N] [--senders N] [--backends N] [--results FILE]");
      System.exit(2);
      return;
    }
    DirectorVsKernelBenchmark bench = new DirectorVsKernelBenchmark(options);
    Thread hook = new Thread(bench::cleanUp, "lbbench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      bench.setUp();
      bench.runAll();
    } finally {
      bench.cleanUp();
    }
  }

  private static Options parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>(Map.of("--duration", "5", "--warmup", "1", "--rounds", "2",
        "--payloads", "64,1400", "--round-trips", "20000", "--senders", "1", "--backends", "4"));
    values.put("--results", "");
    for (int i = 0; i < args.length; i += 2) {
      if (!values.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("argument " + args[i] + " (expected: one of " + values.keySet()
            + " with a value)");
      }
      values.put(args[i], args[i + 1]);
    }
    try {
      return new Options(Duration.ofMillis((long) (1000 * Double.parseDouble(values.get("--duration")))),
          Duration.ofMillis((long) (1000 * Double.parseDouble(values.get("--warmup")))),
          Integer.parseInt(values.get("--rounds")),
          values.get("--payloads").equals("none") ? List.of()
              : Arrays.stream(values.get("--payloads").split(",")).map(String::strip).map(Integer::valueOf).toList(),
          Integer.parseInt(values.get("--round-trips")), Integer.parseInt(values.get("--senders")),
          Integer.parseInt(values.get("--backends")),
          values.get("--results").isEmpty() ? Optional.empty() : Optional.of(Path.of(values.get("--results"))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a number: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------- topology

  private void setUp() throws Exception {
    gen = track(TestNamespace.create("lbbench-gen-"));
    dut = track(TestNamespace.create("lbbench-dut-"));
    sink = track(TestNamespace.create("lbbench-sink-"));
    gen.ip("link", "add", GEN_LINK, "type", "veth", "peer", "name", "dut-gen", "netns", dut.name());
    dut.ip("link", "add", "dut-sink", "type", "veth", "peer", "name", SINK_LINK, "netns", sink.name());
    gen.ip("addr", "add", GEN + "/25", "dev", GEN_LINK);
    gen.ip("link", "set", GEN_LINK, "up");
    gen.ip("route", "add", "203.0.113.0/24", "via", DUT_GEN);
    gen.ip("route", "add", "192.0.2.128/25", "via", DUT_GEN);

    dut.ip("addr", "add", DUT_GEN + "/25", "dev", "dut-gen");
    dut.ip("link", "set", "dut-gen", "up");
    dut.ip("link", "set", "dut-sink", "mtu", "9000");
    dut.ip("addr", "add", DUT_SINK + "/25", "dev", "dut-sink");
    dut.ip("link", "set", "dut-sink", "up");
    dut.ip("route", "add", "198.51.100.0/24", "via", GEN); // the clients, behind gen
    for (TestNamespace ns : List.of(dut, sink)) {
      ns.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=" + (ns == dut ? 1 : 0),
          "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
    }

    sink.ip("link", "set", SINK_LINK, "mtu", "9000");
    for (int i = 0; i < options.backends(); i++) {
      sink.ip("addr", "add", sinkAddress(i) + "/25", "dev", SINK_LINK);
    }
    sink.ip("link", "set", SINK_LINK, "up");
    sink.ip("route", "add", "198.51.100.0/24", "via", DUT_SINK); // direct return: not through the tunnel
    sink.ip("route", "add", "192.0.2.0/25", "via", DUT_SINK);
    sink.ip("addr", "add", VIP + "/32", "dev", "lo");
    sink.ip("tuntap", "add", "dev", "lb7tun0", "mode", "tun"); // gone with the namespace
    sink.ip("link", "set", "lb7tun0", "up");
    sink.exec("sysctl", "-q", "-w", "net.ipv4.conf.lb7tun0.rp_filter=0");
    // During throughput phases the sink drops every IPv4 packet at its veth's ingress hook (after rx_packets counted
    // it), so neither phase pays for the sink's own work (UDP/IPIP delivery, ICMP unreachable) on the shared CPUs.
    sink.exec("nft", "add", "table", "netdev", "lbbench");
    sink.exec("nft", "add", "chain", "netdev", "lbbench", "sink",
        "{ type filter hook ingress device " + SINK_LINK + " priority 0 ; }");
    endpointConfig = Files.createTempFile("lbbench-endpoint", ".yaml");
    resources.add(() -> Files.deleteIfExists(endpointConfig));
    Files.writeString(endpointConfig, "node: lbbench-sink\ndevice: lb7tun0\nvips: [\"" + VIP + "\"]\n"
        + "directors: [\"" + DUT_SINK + "\"]\n");

    // The director: one TUN queue, one worker, Maglev over the sink's addresses.
    TunDevice tun = dut.call(() -> TunDevice.open(TUN, false, 1));
    resources.add(tun);
    dut.ip("link", "set", TUN, "up");
    RawSocket out = dut.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_RAW));
    resources.add(out);
    List<BackendSpec> backends = new ArrayList<>();
    for (int i = 0; i < options.backends(); i++) {
      backends.add(BackendSpec.up("lb7-" + (i + 1), InetAddress.ofLiteral(sinkAddress(i)), null));
    }
    ForwardingState state = ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.FIVE_TUPLE,
        MaglevTable.DEFAULT_SIZE, List.of(new ServiceSpec(InetAddress.ofLiteral(VIP), ServiceSpec.Protocol.UDP, 0)),
        backends);
    AtomicReference<ForwardingState> current = new AtomicReference<>(state);
    WorkerSettings settings = WorkerSettings.defaults()
        .withSources(Optional.of(InetAddress.ofLiteral(DUT_SINK)), Optional.empty());
    settings = new WorkerSettings(settings.flowCapacity(), settings.tcpIdle(), settings.tcpClosingIdle(),
        settings.udpIdle(), 9000, settings.ipv4Source(), settings.ipv6Source(), settings.icmpPerSecond());
    worker = Worker.create(0, tun.queue(0), Optional.of(out), Optional.empty(), current::get, settings,
        System::nanoTime);
    workerThread = Thread.ofPlatform().name("director-worker-0").start(worker);
    stoppers.add(() -> {
      worker.stop();
      joinQuietly(workerThread);
    });
  }

  private static String sinkAddress(int i) {
    return "192.0.2." + (SINK_FIRST + i);
  }

  private void route(Mode mode) throws Exception {
    if (mode == Mode.KERNEL) {
      dut.ip("route", "replace", VIP + "/32", "via", sinkAddress(0));
    } else {
      dut.ip("route", "replace", VIP + "/32", "dev", TUN);
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private synchronized void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    for (Runnable stopper : stoppers.reversed()) {
      try {
        stopper.run();
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e);
      }
    }
    for (AutoCloseable resource : resources.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("cleanup: " + e);
      }
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // -------------------------------------------------------------------------------------------------- throughput

  private Rate throughput(Mode mode, int payload) throws Exception {
    route(mode);
    sink.exec("nft", "add", "rule", "netdev", "lbbench", "sink", "meta", "protocol", "ip", "drop");
    List<UdpFlood> floods = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Runnable stop = () -> {
      floods.forEach(UdpFlood::stop);
      threads.forEach(DirectorVsKernelBenchmark::joinQuietly);
      floods.forEach(UdpFlood::close);
    };
    synchronized (this) {
      if (cleanedUp) {
        throw new IllegalStateException("interrupted");
      }
      stoppers.add(stop);
    }
    try {
      Inet4Address vip = (Inet4Address) InetAddress.ofLiteral(VIP);
      for (int i = 0; i < options.senders(); i++) {
        int index = i;
        floods.add(gen.call(() -> UdpFlood.open(vip, FLOOD_PORT, payload, index, options.senders())));
      }
      for (UdpFlood flood : floods) {
        threads.add(Thread.ofPlatform().name("lbbench-flood-" + threads.size()).start(flood::run));
      }
      Thread.sleep(options.warmup().toMillis());

      long sent0 = floods.stream().mapToLong(UdpFlood::sent).sum();
      long sink0 = counter(sink, SINK_LINK, RX_PACKETS);
      long tun0 = counter(dut, TUN, TX_DROPPED);
      long softnet0 = softnetDrops();
      long workerCpu0 = THREADS.getThreadCpuTime(workerThread.threadId());
      long senderCpu0 = threads.stream().mapToLong(t -> THREADS.getThreadCpuTime(t.threadId())).sum();
      long[] cpu0 = procStat();
      WorkerStats stats0 = worker.stats();
      long t0 = System.nanoTime();
      Thread.sleep(options.duration().toMillis());
      long t1 = System.nanoTime();
      long sent1 = floods.stream().mapToLong(UdpFlood::sent).sum();
      long sink1 = counter(sink, SINK_LINK, RX_PACKETS);
      long tun1 = counter(dut, TUN, TX_DROPPED);
      long softnet1 = softnetDrops();
      long workerCpu1 = THREADS.getThreadCpuTime(workerThread.threadId());
      long senderCpu1 = threads.stream().mapToLong(t -> THREADS.getThreadCpuTime(t.threadId())).sum();
      long[] cpu1 = procStat();
      WorkerStats stats1 = worker.stats();

      double seconds = (t1 - t0) / 1e9;
      long ticks = cpu1[0] - cpu0[0];
      double cores = Runtime.getRuntime().availableProcessors();
      String workerLine = mode == Mode.KERNEL ? "" : String.format(Locale.ROOT,
          "worker received %d, tunnelled %d, send errors %d, flows %d, evictions %d",
          stats1.received() - stats0.received(), stats1.tunnelled() - stats0.tunnelled(),
          stats1.sendErrors() - stats0.sendErrors(), stats1.flows(), stats1.flowEvictions());
      return new Rate(mode, (sent1 - sent0) / seconds, (sink1 - sink0) / seconds,
          100.0 * (workerCpu1 - workerCpu0) / (t1 - t0), 100.0 * (senderCpu1 - senderCpu0) / (t1 - t0),
          ticks == 0 ? 0 : 100 * cores * (ticks - (cpu1[1] - cpu0[1])) / ticks,
          ticks == 0 ? 0 : 100 * cores * (cpu1[2] - cpu0[2]) / ticks,
          tun1 - tun0, softnet1 - softnet0, workerLine);
    } finally {
      stop.run();
      synchronized (this) {
        stoppers.remove(stop);
      }
      Thread.sleep(300); // let queues drain before the next phase
      sink.exec("nft", "flush", "chain", "netdev", "lbbench", "sink");
    }
  }

  private static final int RX_PACKETS = 1;
  private static final int TX_DROPPED = 11;

  /** Field {@code field} (0 = rx_bytes ... 8 = tx_bytes, 9 = tx_packets, 11 = tx_drop) of {@code link} in {@code ns}. */
  private static long counter(TestNamespace ns, String link, int field) throws Exception {
    List<String> lines = ns.call(() -> Files.readAllLines(Path.of("/proc/thread-self/net/dev")));
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(link)) {
        return Long.parseLong(line.substring(colon + 1).strip().split("\\s+")[field]);
      }
    }
    throw new IllegalStateException("no interface " + link + " in " + ns.name());
  }

  /** Packets dropped for a full backlog, all CPUs (/proc/net/softnet_stat column 2; host-wide). */
  private static long softnetDrops() throws Exception {
    long sum = 0;
    for (String line : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
      sum += Long.parseLong(line.strip().split("\\s+")[1], 16);
    }
    return sum;
  }

  /** Total, idle (idle + iowait) and softirq ticks of all CPUs (/proc/stat). */
  private static long[] procStat() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().strip().split("\\s+");
    long total = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5]), Long.parseLong(f[7])};
  }

  // ----------------------------------------------------------------------------------------------------- latency

  /** Round-trip times in microseconds (sorted) of {@code roundTrips} echoes after a warm-up; lost ones excluded. */
  private double[] latency(Mode mode, int roundTrips, int[] lost) throws Exception {
    route(mode);
    InProcessEndpoint endpoint = mode == Mode.DIRECTOR ? sink.call(() -> InProcessEndpoint.start(endpointConfig))
        : null;
    DatagramSocket echo = sink.call(() -> new DatagramSocket(new InetSocketAddress(VIP, ECHO_PORT)));
    Thread echoThread = Thread.ofPlatform().name("lbbench-echo").start(() -> {
      DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
      while (!echo.isClosed()) {
        try {
          packet.setLength(2048);
          echo.receive(packet);
          echo.send(packet);
        } catch (java.io.IOException e) {
          // closed: the loop ends
        }
      }
    });
    Runnable stop = () -> {
      echo.close();
      joinQuietly(echoThread);
      if (endpoint != null) {
        endpoint.close();
      }
    };
    synchronized (this) {
      stoppers.add(stop);
    }
    try (DatagramSocket client = gen.call(() -> {
      DatagramSocket c = new DatagramSocket(new InetSocketAddress(GEN, 0));
      c.connect(new InetSocketAddress(VIP, ECHO_PORT));
      c.setSoTimeout(200);
      return c;
    })) {
      byte[] out = new byte[32];
      DatagramPacket request = new DatagramPacket(out, out.length);
      DatagramPacket reply = new DatagramPacket(new byte[64], 64);
      int warmup = Math.max(1000, roundTrips / 10);
      double[] rtts = new double[roundTrips];
      int kept = 0;
      for (int i = 0; i < warmup + roundTrips; i++) {
        writeInt(out, i);
        long t0 = System.nanoTime();
        client.send(request);
        long rtt = receive(client, reply, i, t0);
        if (i >= warmup) {
          if (rtt < 0) {
            lost[0]++;
          } else {
            rtts[kept++] = rtt / 1000.0;
          }
        }
      }
      double[] result = Arrays.copyOf(rtts, kept);
      Arrays.sort(result);
      return result;
    } finally {
      stop.run();
      synchronized (this) {
        stoppers.remove(stop);
      }
    }
  }

  /** Waits for the echo of request {@code id}; its RTT in ns, or -1 when it did not come within the timeout. */
  private static long receive(DatagramSocket client, DatagramPacket reply, int id, long t0) throws Exception {
    while (true) {
      try {
        reply.setLength(64);
        client.receive(reply);
      } catch (SocketTimeoutException e) {
        return -1;
      }
      if (reply.getLength() >= 4 && readInt(reply.getData()) == id) {
        return System.nanoTime() - t0;
      }
    }
  }

  private static void writeInt(byte[] b, int v) {
    b[0] = (byte) (v >>> 24);
    b[1] = (byte) (v >>> 16);
    b[2] = (byte) (v >>> 8);
    b[3] = (byte) v;
  }

  private static int readInt(byte[] b) {
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  // ------------------------------------------------------------------------------------------------------- run

  private void runAll() throws Exception {
    loadBefore = loadAverage();
    System.out.printf(Locale.ROOT, "%s; %d CPUs; load average before: %s%n", kernel(),
        Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip());
    System.out.printf(Locale.ROOT, "namespaces %s -> %s -> %s; %d LB7 addresses; %d sender thread(s), sendmmsg x%d; "
        + "%s per phase after %s warm-up, %d round(s)%n", gen.name(), dut.name(), sink.name(), options.backends(),
        options.senders(), UdpFlood.BATCH, options.duration(), options.warmup(), options.rounds());

    Map<Integer, List<Rate>> rates = new LinkedHashMap<>();
    for (int payload : options.payloads()) {
      List<Rate> all = new ArrayList<>();
      for (int round = 0; round < options.rounds(); round++) {
        for (Mode mode : Mode.values()) {
          Rate r = throughput(mode, payload);
          all.add(r);
          System.out.printf(Locale.ROOT, "  %5d B %-8s offered %,10.0f pps  delivered %,10.0f pps  loss %5.1f %%  "
              + "worker CPU %3.0f %%  sender CPU %3.0f %%  machine busy %3.0f %% (softirq %3.0f %%)  "
              + "TUN drops %,d  backlog drops %,d  %s%n", payload, name(mode), r.offered(), r.delivered(), r.loss(),
              r.workerCpu(), r.senderCpu(), r.machineBusy(), r.machineSoftirq(), r.tunDrops(), r.softnetDrops(),
              r.worker());
        }
      }
      rates.put(payload, all);
    }

    Map<Mode, List<Double>> samples = new LinkedHashMap<>();
    Map<Mode, Integer> lostTotal = new LinkedHashMap<>();
    for (int round = 0; round < options.rounds() && options.roundTrips() > 0; round++) {
      for (Mode mode : Mode.values()) {
        int[] lost = new int[1];
        double[] rtts = latency(mode, options.roundTrips(), lost);
        System.out.printf(Locale.ROOT, "  latency %-8s p50 %6.1f us  p99 %6.1f us  p99.9 %7.1f us  lost %d%n",
            name(mode), percentile(rtts, 50), percentile(rtts, 99), percentile(rtts, 99.9), lost[0]);
        List<Double> list = samples.computeIfAbsent(mode, m -> new ArrayList<>());
        for (double v : rtts) {
          list.add(v);
        }
        lostTotal.merge(mode, lost[0], Integer::sum);
      }
    }
    List<String> results = printTable(rates, samples, lostTotal);
    if (options.results().isPresent()) {
      Files.write(options.results().get(), results);
    }
  }

  /** Prints the final table; returns its rows as result lines (see the class comment). */
  private List<String> printTable(Map<Integer, List<Rate>> rates, Map<Mode, List<Double>> samples,
      Map<Mode, Integer> lost) {
    List<String> results = new ArrayList<>();
    results.add("# DirectorVsKernelBenchmark results: medians of the rounds (throughput), pooled round trips "
        + "(latency)");
    results.add(String.format(Locale.ROOT, "settings cpus=%d kernel=%s duration_s=%s warmup_s=%s rounds=%d senders=%d "
        + "backends=%d round_trips=%d load_before=%s load_after=%s", Runtime.getRuntime().availableProcessors(),
        kernel().replace("Linux ", "").replace(' ', '_'), seconds(options.duration()), seconds(options.warmup()),
        options.rounds(), options.senders(), options.backends(), options.roundTrips(), loadBefore, loadAverage()));
    System.out.println();
    System.out.printf(Locale.ROOT, "RESULT  %s, %d CPUs; medians of %d round(s) of %s; 10 %% new flows%n",
        kernel(), Runtime.getRuntime().availableProcessors(), options.rounds(), options.duration());
    System.out.println("payload  phase        offered pps   delivered pps   loss %   director/kernel   "
        + "worker CPU   sender CPU   machine busy (of " + 100 * Runtime.getRuntime().availableProcessors() + " %)");
    for (var entry : rates.entrySet()) {
      double kernelDelivered = median(entry.getValue(), Mode.KERNEL, Rate::delivered);
      for (Mode mode : Mode.values()) {
        double offered = median(entry.getValue(), mode, Rate::offered);
        double delivered = median(entry.getValue(), mode, Rate::delivered);
        System.out.printf(Locale.ROOT, "%5d B  %-8s  %13s  %14s  %6.1f   %15s   %8s %%   %8.0f %%   %10.0f %%%n",
            entry.getKey(), name(mode), String.format(Locale.ROOT, "%,.0f", offered),
            String.format(Locale.ROOT, "%,.0f", delivered), median(entry.getValue(), mode, Rate::loss),
            mode == Mode.KERNEL ? "1" : String.format(Locale.ROOT, "%.2f", delivered / kernelDelivered),
            mode == Mode.KERNEL ? "-" : String.format(Locale.ROOT, "%.0f", median(entry.getValue(), mode,
                Rate::workerCpu)), median(entry.getValue(), mode, Rate::senderCpu),
            median(entry.getValue(), mode, Rate::machineBusy));
        results.add(String.format(Locale.ROOT, "throughput payload=%d side=%s offered_pps=%s delivered_pps=%s "
            + "loss_pct=%s worker_cpu_pct=%s sender_cpu_pct=%s machine_busy_pct=%s%s", entry.getKey(), name(mode),
            value(offered, 0), value(delivered, 0), value(median(entry.getValue(), mode, Rate::loss), 2),
            mode == Mode.KERNEL ? "-" : value(median(entry.getValue(), mode, Rate::workerCpu), 0),
            value(median(entry.getValue(), mode, Rate::senderCpu), 0),
            value(median(entry.getValue(), mode, Rate::machineBusy), 0),
            mode == Mode.KERNEL ? "" : " ratio=" + value(delivered / kernelDelivered, 3)));
      }
    }
    if (samples.isEmpty()) {
      return results;
    }
    System.out.printf(Locale.ROOT, "latency (UDP echo, one in flight, %d round trips per phase and round, pooled)%n",
        options.roundTrips());
    System.out.println("phase       RTT p50 us   RTT p99 us   RTT p99.9 us   lost");
    double[][] sorted = new double[2][];
    for (Mode mode : Mode.values()) {
      double[] s = samples.get(mode).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      sorted[mode.ordinal()] = s;
      System.out.printf(Locale.ROOT, "%-8s    %10.1f   %10.1f   %12.1f   %4d%n", name(mode), percentile(s, 50),
          percentile(s, 99), percentile(s, 99.9), lost.get(mode));
      results.add(String.format(Locale.ROOT, "latency side=%s p50_us=%s p99_us=%s p999_us=%s lost=%d round_trips=%d",
          name(mode), value(percentile(s, 50), 1), value(percentile(s, 99), 1), value(percentile(s, 99.9), 1),
          lost.get(mode), s.length));
    }
    System.out.printf(Locale.ROOT, "added       %10.1f   %10.1f   %12.1f%n",
        percentile(sorted[1], 50) - percentile(sorted[0], 50), percentile(sorted[1], 99) - percentile(sorted[0], 99),
        percentile(sorted[1], 99.9) - percentile(sorted[0], 99.9));
    return results;
  }

  /** {@code v} with {@code decimals} decimals and no grouping, or {@code -} when it is not a number. */
  private static String value(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
  }

  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static double median(List<Rate> rates, Mode mode, java.util.function.ToDoubleFunction<Rate> value) {
    double[] v = rates.stream().filter(r -> r.mode() == mode).mapToDouble(value).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String name(Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** The 1-minute load average, or {@code -}. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+")[0];
    } catch (java.io.IOException e) {
      return "-";
    }
  }

  private static String kernel() {
    try {
      return "Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (java.io.IOException e) {
      return "Linux";
    }
  }
}
