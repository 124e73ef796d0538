package org.example.lb.lab.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.lab.LabCommand;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Behind {@link LabTest}: skips (or fails, when lab.required=true) without root or the lab's tools. */
public final class LabRequirement implements BeforeAllCallback, BeforeEachCallback {
  private static final List<String> TOOLS = List.of("/usr/sbin/ip", "/usr/sbin/nginx", "/usr/sbin/haproxy",
      "/usr/bin/curl", "/usr/bin/setsid", "/usr/bin/timeout");

  @Override
  public void beforeAll(ExtensionContext context) {
    check();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check();
  }

  /** What is missing for lab tests on this machine; empty when they can run. */
  public static List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!LabCommand.isRoot()) {
      missing.add("root");
    }
    for (String tool : TOOLS) {
      if (!Files.isExecutable(Path.of(tool))) {
        missing.add(tool);
      }
    }
    return missing;
  }

  static void check() {
    List<String> missing = missing();
    if (missing.isEmpty()) {
      return;
    }
    String message = "lab test needs " + String.join(", ", missing) + " (run as root after bin/install-deps)";
    if (Boolean.getBoolean("lab.required")) {
      throw new AssertionError(message + "; lab.required=true makes this a failure");
    }
    throw new TestAbortedException(message);
  }
}
