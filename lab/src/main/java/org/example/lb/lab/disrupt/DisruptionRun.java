package org.example.lb.lab.disrupt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.load.ClientProcess;
import org.example.lb.lab.load.ConnectionResult;
import org.example.lb.lab.load.LoadOptions;
import org.example.lb.lab.load.LoadSummary;
import org.example.lb.lab.topology.Role;

/**
 * Runs scenarios under client load: waits until the lab is whole (every router has every LB4 for every VIP, every
 * director every LB7 UP, every balancer every server UP), prepares, starts the load in the clients' node, lets it
 * run {@code before}, runs the event, lets the load run {@code after}, stops starting connections and waits for
 * every one to end, restores the lab (always), and reports every connection that broke.
 *
 * @param lab        what acts on the lab
 * @param topology   the topology file (the load reads the VIPs and client addresses from it)
 * @param clients    the clients' node
 * @param load       the load
 * @param before     load before the event
 * @param after      load after the event's last step
 * @param between    the pause inside two-step events
 * @param workDir    where each run's summary and connection log go
 * @param out        progress lines
 */
public record DisruptionRun(LabActions lab, Path topology, String clients, LoadOptions load, Duration before,
    Duration after, Duration between, Path workDir, PrintStream out) {
  private static final Duration BASELINE = Duration.ofSeconds(60);

  /** Runs {@code scenario}; a failure of the run itself is in the report's error. */
  public DisruptionReport run(Scenario scenario) {
    Marks marks = new Marks(between);
    String error = "";
    Path dir = workDir.resolve(scenario.name());
    Path connections = dir.resolve("connections.ndjson");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(connections);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println("== " + scenario.name() + ": " + scenario.summary());
    try {
      awaitWhole();
      out.println("   preparing");
      scenario.prepare(lab);
      try (ClientProcess client = ClientProcess.start(clients, topology, load, dir.resolve("summary.json"),
          connections, true)) {
        out.println("   load running; event in " + before.toSeconds() + " s");
        LockSupport.parkNanos(before.toNanos());
        if (!client.alive()) {
          throw new LabFailure("the client load ended before the event (see above)");
        }
        try {
          scenario.event(lab, marks);
        } catch (RuntimeException e) {
          error = "event: " + e.getMessage();
        }
        LockSupport.parkNanos(after.toNanos());
        client.stop();
        Duration drain = Duration.ofSeconds(load.idleTimeoutSeconds() + 15L
            + (load.downloads() > 0 ? 10L * 1024 / Math.max(1, load.readRateKib()) : 0));
        Optional<Integer> exit = client.waitFor(drain);
        if (exit.isEmpty()) {
          error = join(error, "the client load did not end within " + drain.toSeconds() + " s");
        }
      }
    } catch (RuntimeException e) {
      error = join(error, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = join(error, "interrupted");
    } finally {
      try {
        out.println("   restoring");
        scenario.restore(lab);
        awaitWhole();
      } catch (RuntimeException e) {
        error = join(error, "restore: " + e.getMessage());
      }
    }
    return DisruptionReport.of(scenario, marks, read(connections), error);
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "; " + b;
  }

  /** Waits until every router routes every VIP to every LB4, every director and balancer sees everything UP. */
  public void awaitWhole() {
    List<String> lb4s = lab.names(Role.L4);
    Scenarios.awaitRouters(lab, hops -> hops.containsAll(lb4s), "every router to have " + lb4s);
    for (String lb7 : lab.names(Role.L7)) {
      LabActions.await(BASELINE, "every director to have " + lb7 + " UP", () -> lab.directorsSee(lb7).toString(),
          () -> lab.directorsSee(lb7).values().stream().allMatch(s -> s.equals(Optional.of("UP"))));
    }
    for (String server : lab.names(Role.SERVER)) {
      LabActions.await(BASELINE, "every balancer to have " + server + " UP", () -> lab.balancersSee(server).toString(),
          () -> lab.balancersSee(server).values().stream().allMatch(s -> s.equals(Optional.of("UP"))));
    }
  }

  static List<ConnectionResult> read(Path connections) {
    List<ConnectionResult> out = new ArrayList<>();
    if (!Files.exists(connections)) {
      return out;
    }
    ObjectMapper json = ConfigLoader.json();
    List<String> lines;
    try {
      lines = Files.readAllLines(connections);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      try {
        if (!line.isBlank()) {
          out.add(LoadSummary.connection(json.readTree(line)));
        }
      } catch (IOException | IllegalArgumentException e) {
        // a line the load was writing when it was killed: not a connection that ended
      }
    }
    return out;
  }
}
