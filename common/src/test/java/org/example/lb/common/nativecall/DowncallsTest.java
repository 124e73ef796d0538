package org.example.lb.common.nativecall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class DowncallsTest {
  private static final int EBADF = 9;

  @Test
  void aFailedCallLeavesItsErrnoInTheCallState() throws Throwable {
    MethodHandle close = Downcalls.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), Downcalls.CAPTURE_ERRNO);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Downcalls.newCallState(arena);
      assertThat((int) close.invokeExact(state, -1)).isEqualTo(-1);
      assertThat(Downcalls.errno(state)).isEqualTo(EBADF);
    }
  }

  @Test
  void errnoReadsAsTheSystemsText() {
    assertThat(Downcalls.strerror(EBADF)).isEqualTo("Bad file descriptor");
  }

  @Test
  void aMissingSymbolIsALinkErrorNamingIt() {
    assertThatThrownBy(() -> Downcalls.libc("no_such_function_in_libc", FunctionDescriptor.ofVoid()))
        .isInstanceOf(UnsatisfiedLinkError.class).hasMessage("libc symbol not found: no_such_function_in_libc");
  }

  @Test
  void rethrowKeepsUncheckedThrowablesAndWrapsTheRest() {
    IllegalArgumentException unchecked = new IllegalArgumentException("x");
    assertThatThrownBy(() -> Downcalls.rethrow(unchecked)).isSameAs(unchecked);
    Exception checked = new Exception("y");
    assertThatThrownBy(() -> Downcalls.rethrow(checked)).isInstanceOf(IllegalStateException.class).hasCause(checked);
  }
}
