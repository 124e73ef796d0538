package org.example.lb.lab.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Named network namespaces through ip(8). Every link, address and route command runs inside a
 * named namespace ({@code ip -n NAME}): nothing here can touch the host's own interfaces, routes
 * or resolver.
 */
public final class Netns {
  private static final Path RUN_NETNS = Path.of("/run/netns");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Netns() {}

  /** Names of the namespaces that exist ({@code ip netns list}). */
  public static List<String> list() {
    if (!Files.isDirectory(RUN_NETNS)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(RUN_NETNS)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  public static boolean exists(String name) {
    return Files.exists(RUN_NETNS.resolve(name));
  }

  public static void add(String name) {
    Exec.run(List.of("ip", "netns", "add", name), TIMEOUT).orThrow();
  }

  /** Deletes the namespace if it exists; its veths (and bridges) go with it. */
  public static void delete(String name) {
    if (exists(name)) {
      Exec.run(List.of("ip", "netns", "delete", name), TIMEOUT).orThrow();
    }
  }

  /** PIDs of the processes inside the namespace. */
  public static List<Long> pids(String name) {
    if (!exists(name)) {
      return List.of();
    }
    Exec.Result result = Exec.run(List.of("ip", "netns", "pids", name), TIMEOUT);
    List<Long> pids = new ArrayList<>();
    if (result.ok()) {
      for (String line : result.stdout().split("\n")) {
        if (line.strip().matches("\\d+")) {
          pids.add(Long.parseLong(line.strip()));
        }
      }
    }
    return pids;
  }

  /** Runs ip(8) {@code lines} (one command each, without "ip") inside namespace {@code name}. */
  public static void batch(String name, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    Exec.run(List.of("ip", "-n", name, "-batch", "-"), String.join("\n", lines) + "\n", TIMEOUT).orThrow();
  }

  /** Sets sysctls inside namespace {@code name}. */
  public static void sysctl(String name, Map<String, String> settings) {
    if (settings.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name, "sysctl", "-q", "-w"));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    Exec.run(command, TIMEOUT).orThrow();
  }

  /** The command line that runs {@code command} inside namespace {@code name} (with its /etc/netns files). */
  public static List<String> execArgv(String name, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(command);
    return argv;
  }

  /** Runs {@code command} inside namespace {@code name} and returns its result. */
  public static Exec.Result exec(String name, List<String> command, Duration timeout) {
    return Exec.run(execArgv(name, command), timeout);
  }
}
