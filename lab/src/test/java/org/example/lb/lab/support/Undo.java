package org.example.lb.lab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.state.Resource;

/**
 * What a lab test changed in the shared lab, undone after it ({@link #runAll()} in an {@code @AfterEach}), last change
 * first, whether the test passed or not. Every step runs even when an earlier one fails; the first failure is thrown
 * at the end.
 */
public final class Undo {
  private final Deque<Runnable> steps = new ArrayDeque<>();

  public void add(Runnable step) {
    steps.push(step);
  }

  /** Starts a service the test killed or stopped again, unless the test did ({@link #forgetLast()}). */
  public void restart(LabServices services, Resource.Process process) {
    add(() -> {
      try {
        services.start(process);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The last step added was done by the test itself. */
  public void forgetLast() {
    steps.pop();
  }

  public void runAll() {
    Throwable first = null;
    while (!steps.isEmpty()) {
      try {
        steps.pop().run();
      } catch (RuntimeException | AssertionError e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof AssertionError a) {
      throw a;
    }
  }
}
