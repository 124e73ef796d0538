package org.example.lb.common.test;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real daemons that tests need. When system property {@code lab.required} is {@code true} (as in CI, run as
 * root by bin/test) a missing tool fails the test; otherwise the test is skipped.
 */
public final class Tools {
  private Tools() {}

  public static boolean required() {
    return Boolean.getBoolean("lab.required");
  }

  /** Returns the path of an executable, failing or skipping the test when it is missing. */
  public static Path require(String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String message = "missing tool " + String.join(" or ", candidates) + " (bin/install-deps installs it)";
    if (required()) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    return null;
  }

  /** Requires root, failing or skipping like {@link #require}. */
  public static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      if (required()) {
        throw new AssertionError("this test needs root (lab.required=true)");
      }
      Assumptions.abort("this test needs root");
    }
  }
}
