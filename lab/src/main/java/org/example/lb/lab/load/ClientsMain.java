package org.example.lb.lab.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The client side of {@code bin/lab clients}, run inside the clients' namespace ({@code ip netns exec users}): the
 * load of {@link LoadGenerator}, a live line per second on stderr, and the {@link LoadSummary} as JSON on stdout
 * once every connection has ended. Stops starting connections after {@code --duration}, on Ctrl-C, or (with
 * {@code --stop-on-stdin}) when a line {@code stop} or the end of stdin arrives.
 */
@Command(name = "clients", mixinStandardHelpOptions = true,
    description = "Client load from the users' addresses to the VIPs (run by bin/lab clients inside the users node).")
public final class ClientsMain implements Callable<Integer> {
  @Option(names = "--topology", required = true, paramLabel = "FILE")
  Path topology;

  @Mixin
  LoadOptions options = new LoadOptions();

  @Option(names = "--connections", paramLabel = "FILE",
      description = "Also write every connection, one JSON object per line, as it ends.")
  Path connectionsFile;

  @Option(names = "--stop-on-stdin", hidden = true, description = "Stop starting connections on `stop` or EOF.")
  boolean stopOnStdin;

  @Option(names = "--quiet", description = "No live line.")
  boolean quiet;

  public static void main(String[] args) {
    System.exit(ServiceMain.execute(new ClientsMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    LoadSettings settings = settings();
    ObjectMapper json = ConfigLoader.json();
    List<ConnectionResult> failures = new ArrayList<>();
    Writer log = connectionsFile == null ? null : Files.newBufferedWriter(connectionsFile, StandardCharsets.UTF_8);
    LoadGenerator load = LoadGenerator.start(settings, c -> {
      synchronized (failures) {
        if (c.failed() && failures.size() < LoadSummary.FAILURES_KEPT) {
          failures.add(c);
        }
        if (log != null) {
          try {
            log.write(json.writeValueAsString(LoadSummary.connection(c)) + "\n");
            log.flush();
          } catch (IOException e) {
            System.err.println("error: cannot write " + connectionsFile + ": " + e.getMessage());
          }
        }
      }
    });
    java.util.concurrent.CountDownLatch summarized = new java.util.concurrent.CountDownLatch(1);
    Duration drain = settings.idleTimeout().plus(settings.connectTimeout()).plus(Duration.ofSeconds(
        options.downloads() > 0 ? 10L * 1024 * 1024 / settings.readRate() + 5 : 5));
    // Ctrl-C: stop starting connections and keep the JVM up until the summary is printed
    Thread finisher = new Thread(() -> {
      load.stop();
      try {
        summarized.await(drain.plusSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(finisher);
    if (stopOnStdin) {
      Thread.ofPlatform().daemon().name("stdin").start(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
            // anything else is ignored
          }
        } catch (IOException e) {
          // stdin gone: stop as on EOF
        }
        load.stop();
      });
    }
    LiveLine live = new LiveLine(System.err, System.console() != null);
    LoadGenerator.Snapshot last = load.snapshot();
    while (!load.stopped()) {
      LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      LoadGenerator.Snapshot now = load.snapshot();
      if (!quiet) {
        live.print(last, now, false);
      }
      last = now;
    }
    boolean idle = load.awaitIdle(drain);
    LoadGenerator.Snapshot end = load.snapshot();
    if (!quiet) {
      live.print(last, end, true);
    }
    LoadSummary summary;
    synchronized (failures) {
      summary = new LoadSummary(end, idle ? 0 : end.inFlight(), failures);
      if (log != null) {
        log.close();
      }
    }
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(summary.toJson()));
    System.out.flush();
    summarized.countDown();
    return end.failed() == 0 && idle ? 0 : 1;
  }

  private LoadSettings settings() throws Exception {
    return options.settings(Topology.load(topology, Map.of()));
  }

  /** The per-second line: successes and failures in the last second, what runs, totals. */
  static final class LiveLine {
    private final PrintStream out;
    private final boolean inPlace;

    LiveLine(PrintStream out, boolean inPlace) {
      this.out = out;
      this.inPlace = inPlace;
    }

    void print(LoadGenerator.Snapshot last, LoadGenerator.Snapshot now, boolean end) {
      String line = format(last, now, end);
      if (inPlace) {
        out.print("\r\033[K" + line + (end ? "\n" : ""));
      } else {
        out.println(line);
      }
      out.flush();
    }

    static String format(LoadGenerator.Snapshot last, LoadGenerator.Snapshot now, boolean end) {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%5.0fs  ok %4d/s  failed %3d/s  in flight %4d  |  total: %d ok, %d failed",
          (now.at() - now.startedAt()) / 1000.0, now.completed() - last.completed(), now.failed() - last.failed(),
          now.inFlight(), now.completed(), now.failed()));
      if (now.failed() > 0) {
        StringBuilder reasons = new StringBuilder();
        now.failedByReason().forEach((r, n) -> {
          if (n > 0) {
            reasons.append(reasons.isEmpty() ? "" : ", ").append(r.key()).append(' ').append(n);
          }
        });
        b.append(" (").append(reasons).append(')');
      }
      if (end) {
        b.append(now.inFlight() > 0 ? "  — gave up waiting for " + now.inFlight() : "  — done");
      }
      return b.toString();
    }
  }
}
