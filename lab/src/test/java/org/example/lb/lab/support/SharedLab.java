package org.example.lb.lab.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.example.lb.lab.LabDown;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.ProjectRoot;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Topology;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lab of the default topology, brought up once per test JVM on first use and torn down when
 * the JVM's tests end (or earlier, by {@link #release()}, for a test that needs the machine to
 * itself). Only one lab can exist per machine. Inject {@link RunningLab} into a test method or
 * constructor.
 *
 * <p>With {@code -Dlab.reuse=true} a lab that is already up ({@code bin/lab up}, default topology) is used as it
 * is and left up: for running one test class again and again while developing. Classes that bring up their own
 * lab must not run then.
 */
public final class SharedLab implements ParameterResolver {
  private static RunningLab current;
  private static boolean cleanupRegistered;
  private static boolean reused;

  /** A lab that is up. {@code l7} says whether the L7 tier (l7-agent, HAProxy) runs. */
  public record RunningLab(Path root, LabPaths paths, Topology topology, boolean l7, String upOutput) {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningLab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return acquire(context);
  }

  static synchronized RunningLab acquire(ExtensionContext context) {
    LabRequirement.check();
    if (!cleanupRegistered) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .put(SharedLab.class, (ExtensionContext.Store.CloseableResource) SharedLab::release);
      cleanupRegistered = true;
    }
    if (current == null) {
      current = Boolean.getBoolean("lab.reuse") ? reuse() : up();
    }
    return current;
  }

  private static RunningLab up() {
    try {
      Path root = ProjectRoot.find();
      Path file = root.resolve("lab/topology.yaml");
      boolean l7 = true;
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(new TeeStream(buffer, System.out), true, StandardCharsets.UTF_8);
      int code = new LabUp(root, LabPaths.standard(), out).run(new LabUp.Options(file, Map.of(), false, l7,
          Duration.ofSeconds(180), false, -1));
      String text = buffer.toString(StandardCharsets.UTF_8);
      if (code != 0) {
        throw new AssertionError("lab up failed (exit " + code + "):\n" + text);
      }
      return new RunningLab(root, LabPaths.standard(), Topology.load(file, Map.of()), l7, text);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("lab up failed: " + e.getMessage(), e);
    }
  }

  private static RunningLab reuse() {
    try {
      Path root = ProjectRoot.find();
      Path file = root.resolve("lab/topology.yaml");
      if (org.example.lb.lab.state.Journal.read(LabPaths.standard().journal()).isEmpty()) {
        throw new AssertionError("lab.reuse=true but no lab is up (run bin/lab up)");
      }
      reused = true;
      return new RunningLab(root, LabPaths.standard(), Topology.load(file, Map.of()), true, "");
    } catch (Exception e) {
      throw new AssertionError("cannot reuse the lab: " + e.getMessage(), e);
    }
  }

  /** Tears the shared lab down now if it is up; the next test that needs it brings it up again. */
  public static synchronized void release() throws Exception {
    if (current != null) {
      current = null;
      if (reused) {
        return; // not ours to take down
      }
      int code = new LabDown(LabPaths.standard(), System.out).run();
      if (code != 0) {
        throw new AssertionError("lab down failed (exit " + code + ")");
      }
    }
  }

  /** Writes to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
