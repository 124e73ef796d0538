package org.example.lb.l7.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the CSV of {@code show stat} by its header line. Quoting as documented in the management
 * guide (section 9.1): a field may be enclosed in double quotes, a quote inside is doubled. The
 * trailing comma HAProxy prints on every line yields an empty last column, which is ignored.
 */
final class StatCsv {
  private static final String COMMAND = "show stat";

  private StatCsv() {}

  static List<StatRow> parse(String text) {
    String[] lines = text.split("\n", -1);
    List<String> header = null;
    List<StatRow> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      if (header == null) {
        if (!line.startsWith("# ")) {
          throw RuntimeReplyException.at(COMMAND, i + 1, "\"" + abbreviate(line) + "\" (expected: the header \"# pxname,svname,...\")");
        }
        header = split(line.substring(2), i + 1);
        for (String required : new String[] {"pxname", "svname", "type"}) {
          if (!header.contains(required)) {
            throw RuntimeReplyException.at(COMMAND, i + 1, "header has no " + required + " column");
          }
        }
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      List<String> values = split(line, i + 1);
      Map<String, String> fields = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        String name = header.get(c);
        if (name.isEmpty()) {
          continue;
        }
        fields.put(name, c < values.size() ? values.get(c) : "");
      }
      if (fields.get("pxname").isEmpty() || fields.get("svname").isEmpty()) {
        throw RuntimeReplyException.at(COMMAND, i + 1, "empty pxname or svname (expected: a stat row)");
      }
      rows.add(new StatRow(fields));
    }
    if (header == null) {
      throw RuntimeReplyException.at(COMMAND, 1, "empty reply (expected: the header \"# pxname,svname,...\")");
    }
    return List.copyOf(rows);
  }

  static List<String> split(String line, int lineNumber) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(ch);
        }
      } else if (ch == '"' && field.isEmpty()) {
        quoted = true;
      } else if (ch == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw RuntimeReplyException.at(COMMAND, lineNumber, "unterminated quoted field (expected: a closing \")");
    }
    out.add(field.toString());
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
