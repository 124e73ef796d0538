package org.example.lb.lab.status;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.LongSupplier;
import org.example.lb.common.config.ConfigLoader;

/**
 * {@code bin/lab status --watch}: the status screen taken again every interval, as watch(1) does, until interrupted or
 * {@code count} screens were shown.
 *
 * <ul>
 *   <li>{@link Output#TERMINAL}: each screen replaces the last (cursor home, clear) under a line saying when it was
 *       taken, and the lines that differ from the previous screen's line at the same row are shown in reverse video,
 *       so a state that flips stands out.
 *   <li>{@link Output#TEXT} (a pipe, a file): screens follow each other, each under a {@code #} line saying when it
 *       was taken; nothing is highlighted.
 *   <li>{@link Output#JSON_LINES}: each screen is one line as the source wrote it (one JSON object, which carries the
 *       time it was taken itself), nothing else.
 * </ul>
 *
 * Screens are taken on a fixed schedule, start + k × interval: a screen that took longer than the interval (a daemon
 * not answering for 2 s) is followed at once, never by a burst of catch-up screens. Time and waiting are injected, so
 * the schedule is tested without sleeping.
 */
public final class StatusWatch {
  /** A screen's text (ending in a newline) and the exit code {@code status} would have given for it. */
  public record Screen(String text, int exitCode) {}

  /** Where the screens go. */
  public enum Output { TERMINAL, TEXT, JSON_LINES }

  /**
   * Takes one screen at {@code taken} (whole seconds, UTC). An exception is shown as a screen saying so (the next
   * may succeed), exit code 1.
   */
  @FunctionalInterface
  public interface ScreenSource {
    Screen take(Instant taken) throws Exception;
  }

  /** Waits until {@link System#nanoTime()} (or the injected clock) reaches a deadline. */
  @FunctionalInterface
  public interface Pause {
    void until(long deadlineNanos) throws InterruptedException;

    /** Sleeps on the real clock. */
    static Pause sleeping() {
      return deadline -> {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          Thread.sleep(Duration.ofNanos(left));
        }
      };
    }
  }

  /** Shortest and longest interval accepted by {@link #parseInterval}. */
  static final int MIN_SECONDS = 1;
  static final int MAX_SECONDS = 3600;

  private static final String HOME_AND_CLEAR = "\033[H\033[2J";
  private static final String REVERSE = "\033[7m";
  private static final String RESET = "\033[0m";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final Duration interval;
  private final long count;
  private final Output output;
  private final PrintStream out;
  private final Clock wall;
  private final LongSupplier nanoTime;
  private final Pause pause;

  private StatusWatch(Duration interval, long count, Output output, PrintStream out, Clock wall,
      LongSupplier nanoTime, Pause pause) {
    this.interval = interval;
    this.count = count;
    this.output = output;
    this.out = out;
    this.wall = wall;
    this.nanoTime = nanoTime;
    this.pause = pause;
  }

  /**
   * A watch on the real clocks.
   *
   * @param count screens to show, 0 for no limit (until interrupted)
   */
  public static StatusWatch of(Duration interval, long count, Output output, PrintStream out) {
    return of(interval, count, output, out, Clock.systemUTC(), System::nanoTime, Pause.sleeping());
  }

  static StatusWatch of(Duration interval, long count, Output output, PrintStream out, Clock wall,
      LongSupplier nanoTime, Pause pause) {
    if (interval.compareTo(Duration.ofSeconds(MIN_SECONDS)) < 0 || count < 0) {
      throw new IllegalArgumentException("interval " + interval + ", count " + count
          + " (expected: at least " + MIN_SECONDS + " s, a count of 0 or more)");
    }
    return new StatusWatch(interval, count, output, out, wall, nanoTime, pause);
  }

  /**
   * Parses {@code --watch}'s value: whole seconds from {@value #MIN_SECONDS} to {@value #MAX_SECONDS}.
   *
   * @throws IllegalArgumentException one line saying what was expected
   */
  public static Duration parseInterval(String text) {
    if (!text.matches("\\d{1,4}") || Integer.parseInt(text) < MIN_SECONDS || Integer.parseInt(text) > MAX_SECONDS) {
      throw new IllegalArgumentException("--watch " + text + " (expected: seconds between screens, a whole number from "
          + MIN_SECONDS + " to " + MAX_SECONDS + ")");
    }
    return Duration.ofSeconds(Integer.parseInt(text));
  }

  /**
   * Shows screens until {@code count} were shown or the thread is interrupted.
   *
   * @return the exit code of the last screen shown
   */
  public int run(ScreenSource source) {
    long start = nanoTime.getAsLong();
    List<String> previous = List.of();
    int exitCode = 0;
    for (long shown = 0; count == 0 || shown < count; shown++) {
      if (shown > 0) {
        long step = interval.toNanos();
        long due = start + shown * step;
        long now = nanoTime.getAsLong();
        if (now - due > 0) { // the last screen took longer than the interval: the schedule restarts from now
          start = now - shown * step;
          due = now;
        }
        try {
          pause.until(due);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      Instant taken = wall.instant().truncatedTo(ChronoUnit.SECONDS);
      Screen screen;
      try {
        screen = source.take(taken);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        String why = "status not taken: " + e.getMessage();
        screen = new Screen(output == Output.JSON_LINES ? ConfigLoader.json().createObjectNode()
            .put("taken", taken.toString()).put("error", why) + "\n" : "! " + why + "\n", 1);
      }
      exitCode = screen.exitCode();
      previous = show(taken, screen.text(), previous);
    }
    return exitCode;
  }

  /** Prints one screen; returns its lines, to compare the next one with. */
  private List<String> show(Instant taken, String text, List<String> previous) {
    List<String> lines = text.lines().toList();
    String heading = "every " + interval.toSeconds() + " s, " + TIME.format(taken)
        + (count == 0 ? " (Ctrl-C to stop)" : "");
    StringBuilder b = new StringBuilder(text.length() + 256);
    if (output == Output.JSON_LINES) {
      b.append(String.join(" ", lines)).append('\n');
    } else if (output == Output.TERMINAL) {
      b.append(HOME_AND_CLEAR).append(heading).append("\n\n");
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        boolean changed = !previous.isEmpty() && (i >= previous.size() || !previous.get(i).equals(line));
        b.append(changed && !line.isBlank() ? REVERSE + line.replace(RESET, RESET + REVERSE) + RESET : line)
            .append('\n');
      }
    } else {
      b.append("# ").append(heading).append('\n').append(text);
      if (!text.endsWith("\n")) {
        b.append('\n');
      }
    }
    out.print(b);
    out.flush();
    return lines;
  }
}
