package org.example.lb.bgp.health;

/**
 * What the speaker should have in gobgpd's RIB for the service's prefixes: announced with a MED, or withdrawn.
 * Idempotent: applying the same advertisement twice changes nothing.
 */
public sealed interface Advertisement {
  /** The largest MED (MULTI_EXIT_DISC is an unsigned 32-bit attribute). */
  long MAX_MED = 0xFFFF_FFFFL;

  /** Announce with {@code med}. */
  static Advertisement announce(long med) {
    return new Announce(med);
  }

  /** Withdraw (also what "nothing announced yet" means). */
  static Advertisement withdraw() {
    return Withdraw.INSTANCE;
  }

  /** Announce every prefix of the service with this MED. */
  record Announce(long med) implements Advertisement {
    public Announce {
      if (med < 0 || med > MAX_MED) {
        throw new IllegalArgumentException("med: " + med + " (expected: an integer 0-" + MAX_MED + ")");
      }
    }

    @Override
    public String toString() {
      return "announce med " + med;
    }
  }

  /** Withdraw every prefix of the service. */
  record Withdraw() implements Advertisement {
    static final Withdraw INSTANCE = new Withdraw();

    @Override
    public String toString() {
      return "withdraw";
    }
  }
}
