package org.example.lb.lab.load;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.lab.topology.Topology;
import picocli.CommandLine.Option;

/** The load's options, shared by {@code bin/lab clients}, {@code bin/lab disrupt} and {@link ClientsMain}. */
public final class LoadOptions {
  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30",
      description = "Start connections for this long; 0: until Ctrl-C (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 30;

  @Option(names = "--downloads", paramLabel = "N", defaultValue = "16",
      description = "Long downloads of /10M running at once (default: ${DEFAULT-VALUE}).")
  int downloads = 16;

  @Option(names = "--read-rate", paramLabel = "KB/S", defaultValue = "1024",
      description = "How fast each download is read, in KiB/s (default: ${DEFAULT-VALUE}: 10 s per download).")
  int readRateKib = 1024;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "40",
      description = "Short requests (a new connection each) per second (default: ${DEFAULT-VALUE}).")
  double rate = 40;

  @Option(names = "--family", paramLabel = "4|6|both", defaultValue = "both",
      description = "Which VIPs: IPv4, IPv6 or both (default: ${DEFAULT-VALUE}).")
  String family = "both";

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5")
  int connectTimeoutSeconds = 5;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "A connection that receives nothing for this long fails as a timeout (default: ${DEFAULT-VALUE}).")
  int idleTimeoutSeconds = 30;

  /** The settings for {@code topology}'s VIPs and client addresses; a bad value is a {@link ServiceMain.UserError}. */
  public LoadSettings settings(Topology topology) {
    List<InetAddress> targets = topology.vips().stream().filter(v -> switch (family) {
      case "4" -> v instanceof Inet4Address;
      case "6" -> v instanceof Inet6Address;
      case "both" -> true;
      default -> throw new ServiceMain.UserError("--family " + family + " (expected: 4, 6 or both)");
    }).toList();
    try {
      return new LoadSettings(targets, topology.clientAddresses(), downloads, readRateKib * 1024L, rate,
          Duration.ofSeconds(durationSeconds), Duration.ofSeconds(connectTimeoutSeconds),
          Duration.ofSeconds(idleTimeoutSeconds), "www.example.org");
    } catch (IllegalArgumentException e) {
      throw new ServiceMain.UserError(e.getMessage());
    }
  }

  /** The same options as arguments, for the process that runs inside the clients' namespace. */
  public List<String> arguments() {
    return List.of("--duration", String.valueOf(durationSeconds), "--downloads", String.valueOf(downloads),
        "--read-rate", String.valueOf(readRateKib), "--rate", String.valueOf(rate), "--family", family,
        "--connect-timeout", String.valueOf(connectTimeoutSeconds),
        "--idle-timeout", String.valueOf(idleTimeoutSeconds));
  }

  /** Copies with another duration (seconds; 0: until stopped). */
  public LoadOptions withDuration(int seconds) {
    LoadOptions o = copy();
    o.durationSeconds = seconds;
    return o;
  }

  private LoadOptions copy() {
    LoadOptions o = new LoadOptions();
    o.durationSeconds = durationSeconds;
    o.downloads = downloads;
    o.readRateKib = readRateKib;
    o.rate = rate;
    o.family = family;
    o.connectTimeoutSeconds = connectTimeoutSeconds;
    o.idleTimeoutSeconds = idleTimeoutSeconds;
    return o;
  }

  public int downloads() {
    return downloads;
  }

  public int readRateKib() {
    return readRateKib;
  }

  public int idleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }
}
