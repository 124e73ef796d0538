package org.example.lb.l4.maglev;

import org.example.lb.common.config.Validation;

/**
 * A backend of a {@link MaglevTable}: a stable name (it alone decides where the backend lands in the table, so
 * keep it stable across restarts and directors) and a weight 0-65535. Weight 0 keeps the backend in the set but
 * gives it no table entries: the director uses it for DRAIN, where established flows stay but new ones go
 * elsewhere.
 */
public record Backend(String name, int weight) {
  /** The largest weight. */
  public static final int MAX_WEIGHT = 65535;

  public Backend {
    Validation.nonBlank("name", name);
    Validation.range("weight", weight, 0, MAX_WEIGHT);
  }

  /** A backend of weight 1. */
  public static Backend of(String name) {
    return new Backend(name, 1);
  }
}
