package org.example.lb.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run measured, as the report names it.
 *
 * @param cpus     online CPUs (what {@code nproc} says)
 * @param kernel   {@code /proc/sys/kernel/osrelease}
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}, or {@code unknown}
 * @param memory   {@code MemTotal} of {@code /proc/meminfo} in GiB, e.g. {@code 24 GiB}, or {@code unknown}
 * @param jdk      this JVM's version and vendor (the scripts find the same JDK: bin/lib/jdk.sh)
 */
public record MachineInfo(int cpus, String kernel, String cpuModel, String memory, String jdk) {
  /** Reads this machine's. */
  public static MachineInfo read() {
    return new MachineInfo(Runtime.getRuntime().availableProcessors(),
        readOr(Path.of("/proc/sys/kernel/osrelease"), "unknown").strip(),
        cpuModel(readOr(Path.of("/proc/cpuinfo"), "")), memory(readOr(Path.of("/proc/meminfo"), "")),
        Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")");
  }

  /** The first {@code model name} (x86) or {@code Model} (arm) value of a {@code /proc/cpuinfo} text. */
  static String cpuModel(String cpuinfo) {
    for (String key : new String[] {"model name", "Model"}) {
      for (String line : cpuinfo.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(key) && !line.substring(colon + 1).isBlank()) {
          return line.substring(colon + 1).strip();
        }
      }
    }
    return "unknown";
  }

  /** {@code MemTotal} of a {@code /proc/meminfo} text, rounded to whole GiB. */
  static String memory(String meminfo) {
    for (String line : meminfo.split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && words[0].equals("MemTotal:") && words[1].matches("\\d+")) {
        return String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(words[1]) / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  /** The 1-, 5- and 15-minute load averages, e.g. {@code 0.12 0.30 0.41}. */
  public static String loadAverage() {
    String[] words = readOr(Path.of("/proc/loadavg"), "? ? ?").strip().split("\\s+");
    return words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : "unknown";
  }

  /** For the report: {@code 2 CPUs (AMD EPYC 7B13), 24 GiB, Linux 6.1.0-28-amd64}. */
  public String description() {
    return cpus + " CPUs (" + cpuModel + "), " + memory + ", Linux " + kernel;
  }

  private static String readOr(Path file, String fallback) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }
}
