package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShowProcFormatTest {

  @Test
  void capturedTableHasMasterAndWorker() {
    ProcessTable t = ShowProcFormat.parse(Fixtures.raw("show-proc.txt"));

    assertThat(t.master().pid()).isEqualTo(4951);
    assertThat(t.master().role()).isEqualTo(ProcessRole.MASTER);
    assertThat(t.master().type()).isEqualTo("master");
    assertThat(t.reloads()).isEqualTo(6);
    assertThat(t.failedReloads()).isZero();
    assertThat(t.master().uptime()).isEqualTo(Duration.ofMinutes(2).plusSeconds(37));
    assertThat(t.master().version()).isEqualTo("2.6.12-1+deb12u4");
    assertThat(t.master().relativePid()).isEmpty();
    assertThat(t.workerPids()).containsExactly(7181);
    assertThat(t.workers().getFirst().failedReloads()).isEmpty();
    assertThat(t.workers().getFirst().reloads()).isZero();
    assertThat(t.oldWorkers()).isEmpty();
    assertThat(t.programs()).isEmpty();
  }

  @Test
  void workerSurvivingAReloadIsListedAsOldWorker() {
    ProcessTable t = ShowProcFormat.parse(Fixtures.raw("show-proc-old-workers.txt"));

    assertThat(t.workerPids()).containsExactly(5799);
    assertThat(t.oldWorkers()).singleElement().satisfies(old -> {
      assertThat(old.pid()).isEqualTo(5553);
      assertThat(old.role()).isEqualTo(ProcessRole.OLD_WORKER);
      assertThat(old.reloads()).isEqualTo(1);
      assertThat(old.uptime()).isEqualTo(Duration.ofSeconds(21));
    });
    assertThat(t.process(5553)).isPresent();
    assertThat(t.process(1)).isEmpty();
  }

  @Test
  void failedReloadIsCountedSeparately() {
    ProcessTable t = ShowProcFormat.parse(Fixtures.raw("show-proc-reload-failed.txt"));

    assertThat(t.reloads()).isEqualTo(3);
    assertThat(t.failedReloads()).isEqualTo(1);
    assertThat(t.workers().getFirst().reloads()).isEqualTo(1);
  }

  @Test
  void olderFormatWithRelativePidAndProgramsParsesByHeader() {
    String older = """
        #<PID>          <type>          <relative PID>  <reloads>       <uptime>        <version>
        1162            master          0               5 [failed: 0]   1d02h02m07s     2.4.22
        # workers
        1271            worker          1               1               0d00h00m00s     2.4.22
        # old workers
        1233            worker          [was: 1]        3               0d00h00m43s     2.4.22
        # programs
        1244            foo             -               0               0d00h00m00s     -
        """.replace("[was: 1]", "-");

    ProcessTable t = ShowProcFormat.parse(older);

    assertThat(t.master().uptime()).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(2).plusSeconds(7));
    assertThat(t.workers().getFirst().relativePid()).hasValue(1);
    assertThat(t.oldWorkers().getFirst().relativePid()).isEmpty();
    assertThat(t.programs()).singleElement().satisfies(p -> {
      assertThat(p.type()).isEqualTo("foo");
      assertThat(p.role()).isEqualTo(ProcessRole.PROGRAM);
      assertThat(p.version()).isEqualTo("-");
    });
  }

  @Test
  void malformedTablesAreReplyErrors() {
    assertThatThrownBy(() -> ShowProcFormat.parse("hello\n"))
        .isInstanceOf(RuntimeReplyException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> ShowProcFormat.parse("#<PID> <type> <reloads> <uptime> <version>\n# workers\n"))
        .isInstanceOf(RuntimeReplyException.class).hasMessageContaining("no master line");
    assertThatThrownBy(() -> ShowProcFormat.parse(
            "#<PID> <type> <reloads> <uptime> <version>\n1 master 0 [failed: 0] 1h 2.6\n"))
        .isInstanceOf(RuntimeReplyException.class).hasMessageContaining("line 2: uptime: \"1h\"");
    assertThatThrownBy(() -> ShowProcFormat.parse(
            "#<PID> <type> <reloads> <uptime> <version>\n1 master 0 0d00h00m01s\n"))
        .isInstanceOf(RuntimeReplyException.class).hasMessageContaining("4 columns (expected: 5");
    assertThatThrownBy(() -> ShowProcFormat.parse(
            "#<PID> <type> <reloads> <uptime> <version>\n1 master 0 0d00h00m01s 2.6\n# zombies\n"))
        .isInstanceOf(RuntimeReplyException.class).hasMessageContaining("# zombies");
  }
}
