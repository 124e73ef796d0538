package org.example.lb.l4.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace ({@code ip netns add lbtest-<random>}, with lo up) and one platform thread that
 * entered it with setns(2). Sockets and TUN devices created by {@link #call} on that thread live in the namespace
 * (and stay there whichever thread uses them later), so tests never touch the host's network. {@link #close()}
 * stops the thread and deletes the namespace.
 */
public final class TestNamespace implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final MethodHandle OPEN;
  private static final MethodHandle SETNS;
  private static final MethodHandle CLOSE;

  static {
    Linker linker = Linker.nativeLinker();
    var libc = linker.defaultLookup();
    OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    SETNS = linker.downcallHandle(libc.find("setns").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  }

  private final String name;
  private final ExecutorService thread;

  private TestNamespace(String name, ExecutorService thread) {
    this.name = name;
    this.thread = thread;
  }

  public static TestNamespace create() throws Exception {
    return create("lbtest-");
  }

  /** As {@link #create()}, named {@code <prefix><8 random hex digits>} (e.g. "lbbench-gen-" for benchmarks). */
  public static TestNamespace create(String prefix) throws Exception {
    String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    run("ip", "netns", "add", name);
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    TestNamespace ns = new TestNamespace(name, thread);
    try {
      ns.call(() -> {
        enter("/run/netns/" + name);
        return null;
      });
      ns.ip("link", "set", "lo", "up");
    } catch (Exception | Error e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  private static void enter(String path) {
    try (Arena arena = Arena.ofConfined()) {
      int fd = (int) OPEN.invokeExact(arena.allocateFrom(path), 0x80000 /* O_RDONLY|O_CLOEXEC */);
      if (fd < 0) {
        throw new IllegalStateException("cannot open " + path);
      }
      int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
      int ignored = (int) CLOSE.invokeExact(fd);
      if (rc != 0) {
        throw new IllegalStateException("setns(" + path + ") failed");
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The namespace's name (under /run/netns). */
  public String name() {
    return name;
  }

  /** Runs {@code task} on the thread inside the namespace. */
  public <T> T call(Callable<T> task) throws Exception {
    try {
      return thread.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Runs {@code ip -n <namespace> args...}, failing with its output unless it exits 0. */
  public void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "-n", name));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  /** Runs {@code ip netns exec <namespace> args...} (e.g. sysctl -w), failing with its output unless it exits 0. */
  public void exec(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
    }
  }

  @Override
  public void close() throws Exception {
    thread.shutdownNow();
    thread.awaitTermination(10, TimeUnit.SECONDS);
    run("ip", "netns", "del", name);
  }
}
