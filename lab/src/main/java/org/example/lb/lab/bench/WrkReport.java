package org.example.lb.lab.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run printed (wrk 4.x), times in microseconds.
 *
 * @param requestsPerSecond {@code Requests/sec}
 * @param requests          completed requests ({@code N requests in T})
 * @param seconds           the measured time ({@code in T})
 * @param latencyAvgMicros  the {@code Latency} line's average
 * @param latencyMaxMicros  the {@code Latency} line's maximum
 * @param p50Micros         {@code Latency Distribution} 50 %
 * @param p75Micros         75 %
 * @param p90Micros         90 %
 * @param p99Micros         99 %
 * @param socketErrors      connect + read + write + timeout errors ({@code Socket errors:}; 0 when wrk printed none)
 * @param non2xx3xx         responses neither 2xx nor 3xx ({@code Non-2xx or 3xx responses:}; 0 when none)
 */
public record WrkReport(double requestsPerSecond, long requests, double seconds, double latencyAvgMicros,
    double latencyMaxMicros, double p50Micros, double p75Micros, double p90Micros, double p99Micros, long socketErrors,
    long non2xx3xx) {

  private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)\\s*$");
  private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m|h),");
  private static final Pattern LATENCY =
      Pattern.compile("(?m)^\\s*Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\S+\\s*$");
  private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s*(50|75|90|99)(?:\\.0+)?%\\s+(\\S+)\\s*$");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)\\s*$");
  private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: (\\d+)\\s*$");
  private static final Pattern TIME = Pattern.compile("([0-9.]+)(us|ms|s|m|h)");

  /** Every error wrk reported: socket errors and responses that were neither 2xx nor 3xx. */
  public long errors() {
    return socketErrors + non2xx3xx;
  }

  /**
   * Parses wrk's output (stdout and stderr together).
   *
   * @throws IllegalArgumentException when a line every successful run prints is missing or unreadable (the message
   *                                  quotes wrk's first line, e.g. {@code unable to connect to ...})
   */
  public static WrkReport parse(String output) {
    Matcher rate = require(RATE, output, "Requests/sec");
    Matcher total = require(TOTAL, output, "N requests in T");
    Matcher latency = require(LATENCY, output, "Latency (thread stats)");
    double[] percentiles = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    Matcher p = PERCENTILE.matcher(output);
    while (p.find()) {
      int index = switch (p.group(1)) {
        case "50" -> 0;
        case "75" -> 1;
        case "90" -> 2;
        default -> 3;
      };
      percentiles[index] = micros(p.group(2), output);
    }
    for (double v : percentiles) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("wrk printed no latency distribution (was it run with --latency?): "
            + firstLine(output));
      }
    }
    long socketErrors = 0;
    Matcher errors = SOCKET_ERRORS.matcher(output);
    if (errors.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(errors.group(g));
      }
    }
    Matcher non2xx = NON_2XX.matcher(output);
    return new WrkReport(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)),
        micros(total.group(2) + total.group(3), output) / 1e6, micros(latency.group(1), output),
        micros(latency.group(3), output), percentiles[0], percentiles[1], percentiles[2], percentiles[3],
        socketErrors, non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
  }

  private static Matcher require(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("wrk printed no " + what + " line: " + firstLine(output));
    }
    return m;
  }

  /** A wrk time ({@code 325.00us}, {@code 3.62ms}, {@code 1.02s}, {@code 1.50m}, {@code 2.00h}) in microseconds. */
  static double micros(String text, String output) {
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("wrk printed a time " + text + " (expected a number and us, ms, s, m or h): "
          + firstLine(output));
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v;
      case "ms" -> v * 1e3;
      case "s" -> v * 1e6;
      case "m" -> v * 60e6;
      default -> v * 3600e6;
    };
  }

  private static String firstLine(String output) {
    String stripped = output.strip();
    if (stripped.isEmpty()) {
      return "(no output)";
    }
    int nl = stripped.indexOf('\n');
    return nl < 0 ? stripped : stripped.substring(0, nl).strip();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.0f requests/s, avg %.0f us, p50 %.0f us, p99 %.0f us, %d errors",
        requestsPerSecond, latencyAvgMicros, p50Micros, p99Micros, errors());
  }
}
