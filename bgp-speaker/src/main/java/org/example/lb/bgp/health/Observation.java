package org.example.lb.bgp.health;

/** What one round saw: the disable file present (no check run), or the check's verdict. */
enum Observation {
  DISABLED,
  PASSED,
  FAILED
}
