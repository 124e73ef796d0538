package org.example.lb.common.nativecall;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * What the project's native-call classes share. Each capability keeps its own class (its handles, linked once as
 * {@code static final}, and its {@code isAvailable()}/{@code unavailabilityCause()}, as Netty's Epoll); this class
 * links a libc function through the Foreign Function &amp; Memory API, captures {@code errno} into a call-state
 * segment right after a call (so the JVM cannot clobber it in between), and turns an errno into text for messages.
 */
public final class Downcalls {
  /** Pass to {@link #libc} for a function that can fail: errno lands in the call state given as first argument. */
  public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle STRERROR = strerrorHandle(); // char* strerror(int): messages only; may be null

  private Downcalls() {}

  /** Throws unless this is Linux: the constants and struct layouts of the callers are Linux's. */
  public static void requireLinux() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      throw new UnsupportedOperationException("not Linux: " + os);
    }
  }

  /**
   * A downcall handle for libc's {@code name}.
   *
   * @throws UnsatisfiedLinkError when libc has no such symbol
   * @throws IllegalCallerException and other linker errors when native access is not enabled
   */
  public static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
    Linker linker = Linker.nativeLinker();
    MemorySegment symbol = linker.defaultLookup().find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
    return linker.downcallHandle(symbol, descriptor, options);
  }

  /** A call-state segment for handles linked with {@link #CAPTURE_ERRNO}; one per owner, never one per call. */
  public static MemorySegment newCallState(Arena arena) {
    return arena.allocate(CALL_STATE);
  }

  /** The errno the last call through such a handle stored into {@code callState}. */
  public static int errno(MemorySegment callState) {
    return (int) ERRNO.get(callState, 0L);
  }

  /** strerror(3) of {@code errno} ("Address already in use"), or "errno N" when it cannot be had; messages only. */
  public static String strerror(int errno) {
    if (STRERROR != null) {
      try {
        return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(1024).getString(0);
      } catch (Throwable ignored) {
        // the number alone, below
      }
    }
    return "errno " + errno;
  }

  /** Rethrows what a downcall threw (only unchecked: downcall handles throw nothing checked). */
  public static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  private static MethodHandle strerrorHandle() {
    try {
      return libc("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    } catch (Throwable t) {
      return null;
    }
  }
}
