package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InfoTest {

  @Test
  void capturedShowInfoHasTypedAccessorsAndEveryField() {
    Info info = Info.parse(Fixtures.statsOutput("show-info.txt"));

    assertThat(info.version()).isEqualTo("2.6.12-1+deb12u4");
    assertThat(info.pid()).isEqualTo(7181);
    assertThat(info.uptimeSeconds()).isEqualTo(14);
    assertThat(info.currConns()).isZero();
    assertThat(info.stopping()).isFalse();
    assertThat(info.nbthread()).hasValue(2);
    assertThat(info.node()).contains("vm");
    assertThat(info.get("Uptime")).contains("0d 0h00m14s");
    assertThat(info.get("Unstoppable Jobs")).contains("1");
    assertThat(info.get("Build info")).contains("2.6.12-1+deb12u4");
    assertThat(info.fields()).containsKey("Tainted").hasSizeGreaterThan(60);
  }

  @Test
  void stoppingWorkerIsReported() {
    Info info = Info.parse("Version: 2.6.12\nPid: 10\nUptime_sec: 5\nCurrConns: 3\nStopping: 1\n");

    assertThat(info.stopping()).isTrue();
    assertThat(info.currConns()).isEqualTo(3);
    assertThat(info.maxconn()).isEmpty();
  }

  @Test
  void missingOrNonNumericKeyFieldsAreReplyErrors() {
    assertThatThrownBy(() -> Info.parse("Version: 2.6.12\nUptime_sec: 5\nCurrConns: 3\nStopping: 0\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("Pid: missing (expected: an integer)");
    assertThatThrownBy(() -> Info.parse("Version: 2.6.12\nPid: x\nUptime_sec: 5\nCurrConns: 3\nStopping: 0\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("Pid: x (expected: an integer)");
    assertThatThrownBy(() -> Info.parse("Pid: 1\nUptime_sec: 5\nCurrConns: 3\nStopping: 0\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("Version: missing");
  }

  @Test
  void lineWithoutColonIsAReplyErrorNamingIt() {
    assertThatThrownBy(() -> Info.parse("Name: HAProxy\nthis is not show info\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("show info: line 2: \"this is not show info\" (expected: \"Name: value\")");
  }
}
