package org.example.lb.lab.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as {@code /proc/PID/stat} shows it.
 *
 * @param startTime field 22: clock ticks after boot when it started; with the PID, it names one process
 * @param state     field 3: R, S, D, Z (zombie), T...
 * @param command   field 2, without the parentheses
 */
public record ProcStat(long pid, String command, char state, long startTime) {
  public static Optional<ProcStat> read(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return Optional.empty();
    }
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open) {
      return Optional.empty();
    }
    String[] rest = text.substring(close + 2).trim().split(" ");
    // rest[0] is field 3 (state); field 22 is rest[19].
    if (rest.length < 20) {
      return Optional.empty();
    }
    return Optional.of(new ProcStat(pid, text.substring(open + 1, close), rest[0].charAt(0), Long.parseLong(rest[19])));
  }

  /** True when process {@code pid} runs and started at {@code startTime} (zombies count as gone). */
  public static boolean alive(long pid, long startTime) {
    return pid > 0 && read(pid).filter(s -> s.startTime == startTime && s.state != 'Z' && s.state != 'X').isPresent();
  }
}
