package org.example.lb.l7.agent;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The full state a node reports to HAProxy's {@code agent-check}: operational state (with an optional
 * reason), administrative state, weight and maxconn.
 *
 * <h2>File grammar ({@link #parse})</h2>
 * One state line made of case-insensitive words separated by spaces, tabs or commas, in any order:
 * <ul>
 *   <li>{@code up}; {@code down}, {@code stopped} or {@code fail} (all three mean DOWN, as in HAProxy, which
 *       only shows the word itself on its stats page; {@link #encode()} always sends {@code down});
 *   <li>{@code ready}, {@code drain} or {@code maint};
 *   <li>{@code N%}, the weight relative to the server's configured weight, 0-100;
 *   <li>{@code maxconn:N}, 0 meaning unlimited;
 *   <li>{@code #} starts the reason, which runs to the end of the line (cut to {@value #MAX_REASON_LENGTH}
 *       characters; HAProxy keeps about that much of it in its check status).
 * </ul>
 * Words that are not given keep their defaults: {@code up ready 100% maxconn:0} ({@link #DEFAULT}), so
 * {@code drain} alone means up, drain, 100%, unlimited. Two different words for the same dimension
 * ({@code up down}, {@code drain maint}, {@code 50% 60%}) are an error. Blank lines and lines whose first
 * non-blank character is {@code #} are comments; exactly one state line must remain, so a blank or
 * half-written file is an error and the caller keeps its previous state. Line ends may be LF, CRLF or CR.
 *
 * <h2>Wire form ({@link #encode()})</h2>
 * Always every dimension, so that HAProxy converges to this state whatever it had applied before (HAProxy
 * leaves any dimension an agent does not mention unchanged), e.g. {@code up ready 100% maxconn:0\n} or
 * {@code down drain 100% maxconn:0 #disk full\n}. Verified against HAProxy 2.6.12 (see
 * {@code HaproxyAgentCheckTest}): {@code ready} clears a DRAIN or MAINT that the agent set earlier (HAProxy
 * keeps polling the agent while the server is in MAINT); {@code down ready} marks the server DOWN and the
 * reason shows as {@code via agent : down (disk full)}; {@code 100%} restores the configured weight;
 * {@code maxconn:0} removes a limit. Consequences of sending the full state, also verified: the agent's
 * {@code ready} and weight override a {@code set server ... state maint/drain} or {@code set weight} made
 * on the runtime CLI within one {@code agent-inter}, and {@code maxconn:0} also lifts a {@code maxconn}
 * written on the server line of haproxy.cfg: with this agent, the node owns those settings. HAProxy ignores
 * a line without its terminating newline ("Ignoring incomplete line from agent"), so the newline is part of
 * the encoding.
 *
 * @param operational UP or DOWN
 * @param reason text after {@code #}, {@code ""} for none; at most {@value #MAX_REASON_LENGTH} characters
 *     without control characters, no leading or trailing blanks
 * @param administrative READY, DRAIN or MAINT
 * @param weightPercent 0-100, relative to the weight configured in HAProxy
 * @param maxconn 0 for unlimited, else the server's connection limit
 */
public record AgentReply(Operational operational, String reason, Administrative administrative, int weightPercent,
    int maxconn) {

  /** Longest reason kept; longer ones are cut by {@link #parse}. */
  public static final int MAX_REASON_LENGTH = 100;

  /** What a node reports when it has nothing to say (no flag file): {@code up ready 100% maxconn:0}. */
  public static final AgentReply DEFAULT = new AgentReply(Operational.UP, "", Administrative.READY, 100, 0);

  private static final String WORDS =
      "up, down, stopped, fail, ready, drain, maint, N% (0-100), maxconn:N or #reason";

  /** The operating state HAProxy gives the server. */
  public enum Operational { UP, DOWN }

  /** The administrative state HAProxy gives the server. */
  public enum Administrative { READY, DRAIN, MAINT }

  /** Outcome of {@link #parse}: a reply or a one-line message saying what was expected. */
  public sealed interface Parsed {
    /** The content was valid. */
    record Reply(AgentReply reply) implements Parsed {}

    /** The content was not valid; {@code message} reads {@code line N: "word" (expected: what)}. */
    record Invalid(String message) implements Parsed {}
  }

  public AgentReply {
    if (operational == null || administrative == null || reason == null) {
      throw new IllegalArgumentException("operational, administrative and reason are required (reason \"\" for none)");
    }
    if (weightPercent < 0 || weightPercent > 100) {
      throw new IllegalArgumentException("weightPercent: " + weightPercent + " (expected: 0-100)");
    }
    if (maxconn < 0) {
      throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: 0 for unlimited or a positive limit)");
    }
    if (reason.length() > MAX_REASON_LENGTH || !reason.equals(reason.strip()) || hasControl(reason)) {
      throw new IllegalArgumentException("reason: \"" + reason + "\" (expected: at most " + MAX_REASON_LENGTH
          + " characters, no control characters or surrounding blanks)");
    }
  }

  /** This reply with another operational state and reason ({@code ""} for none; cut and cleaned as by parse). */
  public AgentReply withOperational(Operational newOperational, String newReason) {
    return new AgentReply(newOperational, cleanReason(newReason), administrative, weightPercent, maxconn);
  }

  public AgentReply withAdministrative(Administrative newAdministrative) {
    return new AgentReply(operational, reason, newAdministrative, weightPercent, maxconn);
  }

  public AgentReply withWeightPercent(int newWeightPercent) {
    return new AgentReply(operational, reason, administrative, newWeightPercent, maxconn);
  }

  public AgentReply withMaxconn(int newMaxconn) {
    return new AgentReply(operational, reason, administrative, weightPercent, newMaxconn);
  }

  /**
   * The line sent to HAProxy, always with every dimension and a trailing {@code \n}:
   * {@code <up|down> <ready|drain|maint> <N>% maxconn:<N>[ #<reason>]\n}.
   */
  public String encode() {
    StringBuilder sb = new StringBuilder(40 + reason.length())
        .append(operational.name().toLowerCase(Locale.ROOT)).append(' ')
        .append(administrative.name().toLowerCase(Locale.ROOT)).append(' ')
        .append(weightPercent).append("% maxconn:").append(maxconn);
    if (!reason.isEmpty()) {
      sb.append(" #").append(reason);
    }
    return sb.append('\n').toString();
  }

  /** {@link #encode()} as UTF-8 bytes. */
  public byte[] encodeBytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses flag-file content (or one line received from an agent) per the grammar above. Never throws
   * for bad input.
   */
  public static Parsed parse(String content) {
    if (content == null) {
      return new Parsed.Invalid("missing (expected: a state line such as \"up\", \"drain 50%\" or \"down #reason\")");
    }
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    String[] lines = text.split("\r\n|\r|\n", -1);
    int stateLine = -1;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (stateLine >= 0) {
        return new Parsed.Invalid("line " + (i + 1) + ": \"" + abbreviate(line)
            + "\" (expected: a single state line, found another on line " + (stateLine + 1)
            + "; comment lines start with #)");
      }
      stateLine = i;
    }
    if (stateLine < 0) {
      return new Parsed.Invalid((text.isBlank() ? "empty" : "only comments")
          + " (expected: a state line such as \"up\", \"drain 50%\" or \"down #reason\")");
    }
    return parseLine(lines[stateLine], "line " + (stateLine + 1) + ": ");
  }

  private static Parsed parseLine(String line, String where) {
    String health = null; // the word as written, for messages
    Operational operational = null;
    String admin = null;
    String weightWord = null;
    int weight = -1;
    String maxconnWord = null;
    int maxconn = -1;
    String reason = "";
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      if (c == '#') {
        reason = cleanReason(line.substring(i + 1));
        break;
      }
      int end = i;
      while (end < n && " \t,".indexOf(line.charAt(end)) < 0) {
        end++;
      }
      String word = line.substring(i, end);
      String lower = word.toLowerCase(Locale.ROOT);
      i = end;
      switch (lower) {
        case "up", "down", "stopped", "fail" -> {
          Operational o = lower.equals("up") ? Operational.UP : Operational.DOWN;
          if (operational != null && operational != o) {
            return conflict(where, word, health, "up or one of down/stopped/fail");
          }
          operational = o;
          health = word;
        }
        case "ready", "drain", "maint" -> {
          if (admin != null && !admin.equalsIgnoreCase(word)) {
            return conflict(where, word, admin, "one of ready/drain/maint");
          }
          admin = word;
        }
        default -> {
          if (lower.endsWith("%")) {
            int w = digits(lower, 0, lower.length() - 1);
            if (w < 0 || w > 100) {
              return new Parsed.Invalid(where + "\"" + abbreviate(word) + "\" (expected: a weight 0%-100%)");
            }
            if (weightWord != null && weight != w) {
              return conflict(where, word, weightWord, "one weight");
            }
            weight = w;
            weightWord = word;
          } else if (lower.startsWith("maxconn:")) {
            int m = digits(lower, "maxconn:".length(), lower.length());
            if (m < 0) {
              return new Parsed.Invalid(where + "\"" + abbreviate(word)
                  + "\" (expected: maxconn:N with N 0-" + Integer.MAX_VALUE + ", 0 for unlimited)");
            }
            if (maxconnWord != null && maxconn != m) {
              return conflict(where, word, maxconnWord, "one maxconn");
            }
            maxconn = m;
            maxconnWord = word;
          } else {
            return new Parsed.Invalid(where + "\"" + abbreviate(word) + "\" (expected: " + WORDS + ")");
          }
        }
      }
    }
    if (operational == null && admin == null && weightWord == null && maxconnWord == null && reason.isEmpty()) {
      return new Parsed.Invalid(where + "no words (expected: " + WORDS + ")");
    }
    return new Parsed.Reply(new AgentReply(
        operational == null ? Operational.UP : operational,
        reason,
        admin == null ? Administrative.READY : Administrative.valueOf(admin.toUpperCase(Locale.ROOT)),
        weightWord == null ? 100 : weight,
        maxconnWord == null ? 0 : maxconn));
  }

  private static Parsed conflict(String where, String word, String earlier, String expected) {
    return new Parsed.Invalid(where + "\"" + abbreviate(word) + "\" conflicts with \"" + abbreviate(earlier)
        + "\" (expected: " + expected + ")");
  }

  /** The non-negative int in {@code s[from, to)} made only of ASCII digits, or -1. */
  private static int digits(String s, int from, int to) {
    if (from >= to || to - from > 10) {
      return -1;
    }
    long v = 0;
    for (int k = from; k < to; k++) {
      char d = s.charAt(k);
      if (d < '0' || d > '9') {
        return -1;
      }
      v = v * 10 + (d - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  private static String cleanReason(String raw) {
    StringBuilder sb = new StringBuilder(Math.min(raw.length(), MAX_REASON_LENGTH));
    for (int k = 0; k < raw.length(); k++) {
      char c = raw.charAt(k);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    String s = sb.toString().strip();
    if (s.length() > MAX_REASON_LENGTH) {
      int cut = MAX_REASON_LENGTH;
      if (Character.isHighSurrogate(s.charAt(cut - 1))) {
        cut--; // never split a surrogate pair
      }
      s = s.substring(0, cut).strip();
    }
    return s;
  }

  private static boolean hasControl(String s) {
    for (int k = 0; k < s.length(); k++) {
      if (Character.isISOControl(s.charAt(k))) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
