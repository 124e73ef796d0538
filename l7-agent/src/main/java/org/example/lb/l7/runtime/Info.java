package org.example.lb.l7.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The reply to {@code show info}: every {@code Name: value} line in order, with typed accessors for
 * the fields a controller needs. {@link #parse} guarantees those fields are present and numeric
 * where they should be, so the accessors do not fail.
 */
public record Info(Map<String, String> fields) {
  private static final String COMMAND = "show info";

  public Info {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Parses {@code show info} text; throws {@link RuntimeReplyException} naming the line at fault. */
  public static Info parse(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw RuntimeReplyException.at(COMMAND, i + 1,
            "\"" + StatCsv.abbreviate(line) + "\" (expected: \"Name: value\")");
      }
      fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    Info info = new Info(fields);
    for (String key : new String[] {"Pid", "Uptime_sec", "CurrConns", "Stopping"}) {
      if (info.number(key).isEmpty()) {
        throw RuntimeReplyException.at(COMMAND, lines.length, key + ": " + fields.getOrDefault(key, "missing")
            + " (expected: an integer)");
      }
    }
    if (!fields.containsKey("Version")) {
      throw RuntimeReplyException.at(COMMAND, lines.length, "Version: missing (expected: a value)");
    }
    return info;
  }

  /** PID of the process that answered (the worker). */
  public int pid() {
    return (int) number("Pid").orElseThrow();
  }

  public long uptimeSeconds() {
    return number("Uptime_sec").orElseThrow();
  }

  /** Current connections (all frontends). */
  public long currConns() {
    return number("CurrConns").orElseThrow();
  }

  /** True once the process is stopping (an old worker after a reload). */
  public boolean stopping() {
    return number("Stopping").orElseThrow() != 0;
  }

  /** E.g. {@code 2.6.12-1+deb12u4}. */
  public String version() {
    return fields.get("Version");
  }

  public OptionalLong nbthread() {
    return number("Nbthread");
  }

  public OptionalLong maxconn() {
    return number("Maxconn");
  }

  public OptionalLong cumConns() {
    return number("CumConns");
  }

  public OptionalLong cumReq() {
    return number("CumReq");
  }

  /** The {@code node} name. */
  public Optional<String> node() {
    return get("node");
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** A numeric field, empty if absent or not an integer. */
  public OptionalLong number(String name) {
    String v = fields.get(name);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
