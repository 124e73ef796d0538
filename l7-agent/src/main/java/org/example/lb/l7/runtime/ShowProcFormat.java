package org.example.lb.l7.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the master CLI's {@code show proc} by its header ({@code #<PID> <type> <reloads> <uptime>
 * <version>} in 2.6; {@code <relative PID>} before 2.5). Columns are separated by runs of spaces;
 * the master's reload column carries {@code [failed: N]}.
 */
final class ShowProcFormat {
  private static final String COMMAND = "show proc";
  private static final Pattern HEADER_COLUMN = Pattern.compile("<([^>]+)>");
  private static final Pattern FAILED = Pattern.compile("\\[failed: *(\\d+)\\]");
  private static final Pattern UPTIME = Pattern.compile("(\\d+)d(\\d+)h(\\d+)m(\\d+)s");

  private ShowProcFormat() {}

  static ProcessTable parse(String text) {
    String[] lines = text.split("\n", -1);
    List<String> header = null;
    ProcessRole section = ProcessRole.MASTER;
    ProcessEntry master = null;
    List<ProcessEntry> workers = new ArrayList<>();
    List<ProcessEntry> oldWorkers = new ArrayList<>();
    List<ProcessEntry> programs = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int lineNo = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (header == null) {
        header = parseHeader(line, lineNo);
        continue;
      }
      if (line.startsWith("#")) {
        section = switch (line.substring(1).strip().toLowerCase(Locale.ROOT)) {
          case "workers" -> ProcessRole.WORKER;
          case "old workers" -> ProcessRole.OLD_WORKER;
          case "programs" -> ProcessRole.PROGRAM;
          default -> throw RuntimeReplyException.at(COMMAND, lineNo,
              "\"" + line + "\" (expected: # workers, # old workers or # programs)");
        };
        continue;
      }
      ProcessEntry entry = parseEntry(header, section, line, lineNo);
      switch (section) {
        case MASTER -> {
          if (master != null) {
            throw RuntimeReplyException.at(COMMAND, lineNo, "a second master line (expected: a section header)");
          }
          master = entry;
        }
        case WORKER -> workers.add(entry);
        case OLD_WORKER -> oldWorkers.add(entry);
        case PROGRAM -> programs.add(entry);
      }
    }
    if (master == null) {
      throw RuntimeReplyException.at(COMMAND, Math.max(1, lines.length), "no master line (expected: #<PID> header and the master)");
    }
    return new ProcessTable(master, workers, oldWorkers, programs, text);
  }

  private static List<String> parseHeader(String line, int lineNo) {
    List<String> columns = new ArrayList<>();
    Matcher m = HEADER_COLUMN.matcher(line);
    while (m.find()) {
      columns.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    if (!line.startsWith("#") || !columns.contains("pid") || !columns.contains("type")) {
      throw RuntimeReplyException.at(COMMAND, lineNo,
          "\"" + StatCsv.abbreviate(line) + "\" (expected: the header \"#<PID> <type> ...\")");
    }
    return columns;
  }

  private static ProcessEntry parseEntry(List<String> header, ProcessRole role, String line, int lineNo) {
    OptionalInt failed = OptionalInt.empty();
    Matcher f = FAILED.matcher(line);
    if (f.find()) {
      failed = OptionalInt.of(Integer.parseInt(f.group(1)));
      line = line.substring(0, f.start()) + line.substring(f.end());
    }
    String[] values = line.strip().split("\\s+");
    if (values.length != header.size()) {
      throw RuntimeReplyException.at(COMMAND, lineNo,
          values.length + " columns (expected: " + header.size() + " as in the header " + header + ")");
    }
    int pid = 0;
    String type = "";
    int reloads = 0;
    OptionalInt relative = OptionalInt.empty();
    Duration uptime = Duration.ZERO;
    String version = "";
    for (int c = 0; c < values.length; c++) {
      String v = values[c];
      switch (header.get(c)) {
        case "pid" -> pid = integer("PID", v, lineNo);
        case "type" -> type = v;
        case "reloads" -> reloads = integer("reloads", v, lineNo);
        case "relative pid" -> relative = v.equals("-") ? OptionalInt.empty() : OptionalInt.of(integer("relative PID", v, lineNo));
        case "uptime" -> uptime = uptime(v, lineNo);
        case "version" -> version = v;
        default -> { } // a column this client does not know: ignored
      }
    }
    if (role == ProcessRole.MASTER && !type.equals("master")) {
      throw RuntimeReplyException.at(COMMAND, lineNo, "type " + type + " (expected: master on the first line)");
    }
    return new ProcessEntry(role, pid, type, reloads, failed, relative, uptime, version);
  }

  private static int integer(String field, String v, int lineNo) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw RuntimeReplyException.at(COMMAND, lineNo, field + ": \"" + v + "\" (expected: an integer)");
    }
  }

  static Duration uptime(String v, int lineNo) {
    Matcher m = UPTIME.matcher(v);
    if (!m.matches()) {
      throw RuntimeReplyException.at(COMMAND, lineNo, "uptime: \"" + v + "\" (expected: like 0d00h02m07s)");
    }
    return Duration.ofDays(Long.parseLong(m.group(1)))
        .plusHours(Long.parseLong(m.group(2)))
        .plusMinutes(Long.parseLong(m.group(3)))
        .plusSeconds(Long.parseLong(m.group(4)));
  }
}
