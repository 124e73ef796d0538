package org.example.lb.bgp.health;

/**
 * The states of ExaBGP's healthcheck program, with the same names and meaning. {@link #INIT}, {@link #RISING} and
 * {@link #FALLING} change nothing on the wire: the advertisement of the state before them stays in force.
 */
public enum HealthState {
  /** Before the first check, and right after the disable file went away. Nothing announced yet / kept. */
  INIT,
  /** The disable file exists: withdrawn, no check is run. */
  DISABLED,
  /** Checks pass, fewer than {@code rise} in a row so far: checked at the fast interval. */
  RISING,
  /** Checks fail, fewer than {@code fall} in a row so far: checked at the fast interval. */
  FALLING,
  /** {@code rise} checks passed in a row: announced with the base MED. */
  UP,
  /** {@code fall} checks failed in a row: withdrawn, or announced with a worse MED. */
  DOWN,
  /** Stopped: withdrawn. Final. */
  EXIT
}
