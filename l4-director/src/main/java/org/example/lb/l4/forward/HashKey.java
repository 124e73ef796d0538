package org.example.lb.l4.forward;

import org.example.lb.common.config.Validation;

/**
 * What the consistent hash (Maglev) is computed over: the 5-tuple (flows of one client spread over the LB7s) or the
 * client's source address only (every flow of a client lands on one LB7, e.g. for protocols that open several
 * connections which must meet on one LB7). The flow table is always keyed on the 5-tuple.
 */
public enum HashKey {
  FIVE_TUPLE("five-tuple"),
  SOURCE("source");

  private final String configName;

  HashKey(String configName) {
    this.configName = configName;
  }

  /**
   * The key named {@code configName}: "five-tuple" or "source" (case-insensitive).
   *
   * @throws IllegalArgumentException {@code hashKey: x (expected: five-tuple or source)}
   */
  public static HashKey parse(String configName) {
    if (configName != null) {
      for (HashKey key : values()) {
        if (key.configName.equalsIgnoreCase(configName.strip())) {
          return key;
        }
      }
    }
    throw Validation.invalid("hashKey", configName, "five-tuple or source");
  }

  /** The name used in configuration files. */
  public String configName() {
    return configName;
  }
}
