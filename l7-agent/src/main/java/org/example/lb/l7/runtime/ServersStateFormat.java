package org.example.lb.l7.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses {@code show servers state} (the server-state-file format) by the header line of
 * version 1: line 1 is the version, line 2 {@code # be_id be_name ...}, then one server per line,
 * fields separated by single spaces; other {@code #} lines are comments.
 */
final class ServersStateFormat {
  private static final String COMMAND = "show servers state";

  /** The 20 columns every version-1 line has (SRV_STATE_FILE_MIN_FIELDS_VERSION_1). */
  static final List<String> REQUIRED = List.of(
      "be_id", "be_name", "srv_id", "srv_name", "srv_addr", "srv_op_state", "srv_admin_state",
      "srv_uweight", "srv_iweight", "srv_time_since_last_change", "srv_check_status", "srv_check_result",
      "srv_check_health", "srv_check_state", "srv_agent_state", "bk_f_forced_id", "srv_f_forced_id",
      "srv_fqdn", "srv_port", "srvrecord");

  private ServersStateFormat() {}

  static ServersState parse(String text) {
    String[] lines = text.split("\n", -1);
    Integer version = null;
    List<String> header = null;
    List<ServerState> servers = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int lineNo = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (version == null) {
        version = parseVersion(line, lineNo);
        continue;
      }
      if (line.startsWith("#")) {
        if (header == null) {
          header = Arrays.asList(line.substring(1).strip().split(" +"));
          for (String column : REQUIRED) {
            if (!header.contains(column)) {
              throw RuntimeReplyException.at(COMMAND, lineNo, "header has no " + column + " column");
            }
          }
        }
        continue;
      }
      if (header == null) {
        throw RuntimeReplyException.at(COMMAND, lineNo, "data before the header (expected: \"# be_id be_name ...\")");
      }
      servers.add(parseServer(header, line, lineNo));
    }
    if (version == null) {
      throw RuntimeReplyException.at(COMMAND, 1, "empty reply (expected: the format version \"1\")");
    }
    return new ServersState(version, header == null ? List.of() : header, servers, text);
  }

  private static int parseVersion(String line, int lineNo) {
    if (!line.equals("1")) {
      throw RuntimeReplyException.at(COMMAND, lineNo,
          "\"" + StatCsv.abbreviate(line) + "\" (expected: format version 1)");
    }
    return 1;
  }

  private static ServerState parseServer(List<String> header, String line, int lineNo) {
    String[] values = line.split(" ", -1);
    if (values.length < REQUIRED.size()) {
      throw RuntimeReplyException.at(COMMAND, lineNo,
          values.length + " fields (expected: at least " + REQUIRED.size() + ")");
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (int c = 0; c < header.size() && c < values.length; c++) {
      f.put(header.get(c), values[c]);
    }
    Fields in = new Fields(f, lineNo);
    return new ServerState(
        in.integer("be_id"),
        in.text("be_name"),
        in.integer("srv_id"),
        in.text("srv_name"),
        in.text("srv_addr"),
        OperationalState.valueOf(in.integer("srv_op_state")),
        AdminFlags.valueOf(in.integer("srv_admin_state")),
        in.integer("srv_uweight"),
        in.integer("srv_iweight"),
        in.longInteger("srv_time_since_last_change"),
        CheckStatus.valueOf(in.integer("srv_check_status")),
        CheckResult.valueOf(in.integer("srv_check_result")),
        in.integer("srv_check_health"),
        CheckFlags.valueOf(in.integer("srv_check_state")),
        CheckFlags.valueOf(in.integer("srv_agent_state")),
        in.integer("bk_f_forced_id") != 0,
        in.integer("srv_f_forced_id") != 0,
        in.optionalText("srv_fqdn"),
        in.integer("srv_port"),
        in.optionalText("srvrecord"),
        in.flag("srv_use_ssl"),
        in.optionalInteger("srv_check_port"),
        in.optionalText("srv_check_addr"),
        in.optionalText("srv_agent_addr"),
        in.optionalInteger("srv_agent_port"),
        f);
  }

  /** Typed access to one line's fields with errors naming line and column. */
  private record Fields(Map<String, String> values, int lineNo) {
    String text(String name) {
      String v = values.get(name);
      if (v == null || v.isEmpty()) {
        throw RuntimeReplyException.at(COMMAND, lineNo, name + ": missing (expected: a value)");
      }
      return v;
    }

    Optional<String> optionalText(String name) {
      String v = values.get(name);
      return v == null || v.isEmpty() || v.equals("-") ? Optional.empty() : Optional.of(v);
    }

    int integer(String name) {
      long v = longInteger(name);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw RuntimeReplyException.at(COMMAND, lineNo, name + ": " + v + " (expected: a 32-bit integer)");
      }
      return (int) v;
    }

    long longInteger(String name) {
      String v = text(name);
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw RuntimeReplyException.at(COMMAND, lineNo, name + ": \"" + v + "\" (expected: an integer)");
      }
    }

    Optional<Boolean> flag(String name) {
      OptionalInt v = optionalInteger(name);
      return v.isPresent() ? Optional.of(v.getAsInt() > 0) : Optional.empty();
    }

    OptionalInt optionalInteger(String name) {
      String v = values.get(name);
      return v == null || v.isEmpty() || v.equals("-") ? OptionalInt.empty() : OptionalInt.of(integer(name));
    }
  }
}
