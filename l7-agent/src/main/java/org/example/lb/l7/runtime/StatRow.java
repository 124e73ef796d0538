package org.example.lb.l7.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of {@code show stat}, keyed by the names of the header line ({@code # pxname,svname,...}),
 * so column order and extra columns do not matter. Values are as printed; an empty value means
 * "not applicable to this type" (e.g. {@code weight} of a frontend).
 */
public record StatRow(Map<String, String> fields) {
  public StatRow {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    for (String required : new String[] {"pxname", "svname", "type"}) {
      if (!fields.containsKey(required)) {
        throw new IllegalArgumentException("fields: no " + required + " (expected: a show stat row)");
      }
    }
  }

  /** Proxy (frontend/backend) name. */
  public String pxname() {
    return fields.get("pxname");
  }

  /** FRONTEND, BACKEND, or the server / listener name. */
  public String svname() {
    return fields.get("svname");
  }

  public StatType type() {
    return StatType.valueOf((int) requireNumber("type"));
  }

  /** UP, DOWN, MAINT, DRAIN, NOLB, OPEN, "UP 1/3", "DOWN (agent)", ...; empty if none. */
  public String status() {
    return fields.getOrDefault("status", "");
  }

  /** Effective weight (server) or total effective weight (backend). */
  public OptionalLong weight() {
    return number("weight");
  }

  /** Current sessions. */
  public OptionalLong scur() {
    return number("scur");
  }

  /** Maximum sessions seen. */
  public OptionalLong smax() {
    return number("smax");
  }

  /** Configured session limit: a server's {@code maxconn}. */
  public OptionalLong slim() {
    return number("slim");
  }

  /** Cumulative sessions. */
  public OptionalLong stot() {
    return number("stot");
  }

  /** Failed checks while the server was up (servers only). */
  public OptionalLong chkfail() {
    return number("chkfail");
  }

  /** Server is active (1/0), or number of active servers (backend). */
  public OptionalLong act() {
    return number("act");
  }

  /** Server is backup (1/0), or number of backup servers (backend). */
  public OptionalLong bck() {
    return number("bck");
  }

  /** Seconds since the last UP/DOWN transition. */
  public OptionalLong lastchg() {
    return number("lastchg");
  }

  /**
   * Last health check status (L4OK, L7STS, ...), without the {@code "* "} HAProxy prefixes while a
   * check is running; empty if the server has no health check.
   */
  public Optional<String> checkStatus() {
    return checkText("check_status");
  }

  /** Last agent check status, like {@link #checkStatus()}. */
  public Optional<String> agentStatus() {
    return checkText("agent_status");
  }

  /** A column's value as printed (possibly empty), or empty if the header had no such column. */
  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** A numeric column, empty if absent or blank. */
  public OptionalLong number(String name) {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new RuntimeReplyException(
          "show stat: " + pxname() + "/" + svname() + ": " + name + ": \"" + v + "\" (expected: an integer)");
    }
  }

  private long requireNumber(String name) {
    return number(name).orElseThrow(() -> new RuntimeReplyException(
        "show stat: " + pxname() + "/" + svname() + ": " + name + ": empty (expected: an integer)"));
  }

  private Optional<String> checkText(String name) {
    String v = fields.getOrDefault(name, "");
    if (v.startsWith("* ")) {
      v = v.substring(2);
    }
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
