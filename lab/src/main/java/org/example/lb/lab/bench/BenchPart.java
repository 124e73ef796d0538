package org.example.lb.lab.bench;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.example.lb.common.cli.ServiceMain;

/** One benchmark of {@code bin/lab bench}, in the order they run: the lab-less ones first. */
public enum BenchPart {
  /** {@code bin/bench-l4}: the director's packets per second and latency vs the kernel forwarding the same traffic. */
  L4,
  /** {@code bin/bench-dns}: dns-tier vs gdnsd on loopback. */
  DNS,
  /** wrk from the lab's clients: through the whole stack to a VIP vs directly to one LB7. */
  HTTP;

  /** Its name on the command line: {@code l4}, {@code dns}, {@code http}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code --only}'s value, a comma-separated list of part names (any case, in any order, repeats allowed).
   *
   * @throws ServiceMain.UserError naming the option and the expected values, for an empty list or an unknown name
   */
  public static Set<BenchPart> parseList(String text) {
    Set<BenchPart> parts = EnumSet.noneOf(BenchPart.class);
    for (String word : text.split(",", -1)) {
      String name = word.strip().toLowerCase(Locale.ROOT);
      BenchPart match = null;
      for (BenchPart part : values()) {
        if (part.cliName().equals(name)) {
          match = part;
        }
      }
      if (match == null) {
        throw new ServiceMain.UserError("--only " + text + " (expected: a comma-separated list of l4, dns, http)");
      }
      parts.add(match);
    }
    return parts;
  }
}
