package org.example.lb.l4.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrnoTest {
  @Test
  void knownNumbersMapToTheirConstants() {
    assertThat(Errno.valueOf(11)).isSameAs(Errno.EAGAIN);
    assertThat(Errno.valueOf(105)).isSameAs(Errno.ENOBUFS);
    assertThat(Errno.valueOf(90)).isSameAs(Errno.EMSGSIZE);
    assertThat(Errno.valueOf("EINTR")).isSameAs(Errno.EINTR);
    assertThat(Errno.EAGAIN.number()).isEqualTo(11);
  }

  @Test
  void unknownNumbersRoundTrip() {
    Errno unknown = Errno.valueOf(4000);
    assertThat(unknown.name()).isEqualTo("E4000");
    assertThat(Errno.valueOf(unknown.number())).isEqualTo(unknown);
    assertThat(Errno.valueOf(unknown.name())).isEqualTo(unknown);
  }

  @Test
  void descriptionComesFromTheCLibrary() {
    assertThat(Errno.ENOENT.description()).isEqualTo("No such file or directory");
  }

  @Test
  void onlyRetryableErrorsAreTransient() {
    assertThat(Errno.EAGAIN.isTransient()).isTrue();
    assertThat(Errno.ENOBUFS.isTransient()).isTrue();
    assertThat(Errno.EINVAL.isTransient()).isFalse();
  }

  @Test
  void badNamesAndNumbersAreRejected() {
    assertThatThrownBy(() -> Errno.valueOf("EWHATEVER")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("errno: EWHATEVER (expected: a name such as EAGAIN or E<number>)");
    assertThatThrownBy(() -> Errno.valueOf(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exceptionMessageNamesOperationErrnoAndDescription() {
    NativeIoException e = new NativeIoException("open /dev/nothing", Errno.ENOENT);
    assertThat(e.errno()).isSameAs(Errno.ENOENT);
    assertThat(e).hasMessage("open /dev/nothing: ENOENT (No such file or directory)");
  }
}
