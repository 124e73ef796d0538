package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServersStateFormatTest {
  private final String text = Fixtures.statsOutput("show-servers-state.txt");
  private final ServersState state = ServersStateFormat.parse(text);

  private ServerState server(String backend, String server) {
    return state.server(backend, server).orElseThrow();
  }

  @Test
  void capturedDumpParsesEveryServerAndKeepsTheTextVerbatim() {
    assertThat(state.version()).isEqualTo(1);
    assertThat(state.columns()).hasSize(25).startsWith("be_id", "be_name").endsWith("srv_agent_port");
    assertThat(state.servers()).hasSize(12);
    assertThat(state.backend("manual")).extracting(ServerState::serverName).containsExactly("m1", "m4", "m2", "m3");
    assertThat(state.text()).isEqualTo(text).startsWith("1\n# be_id be_name srv_id");
  }

  @Test
  void forcedDrainDecodesToFdrain() {
    ServerState s1 = server("be", "s1");
    assertThat(s1.backendId()).isEqualTo(3);
    assertThat(s1.serverId()).isEqualTo(1);
    assertThat(s1.address()).isEqualTo("127.0.0.1");
    assertThat(s1.port()).isEqualTo(18081);
    assertThat(s1.operationalState()).isEqualTo(OperationalState.RUNNING);
    assertThat(s1.adminState().bits()).isEqualTo(0x08);
    assertThat(s1.adminState().flags()).containsExactly(AdminFlag.FDRAIN);
    assertThat(s1.adminState().effective()).isEqualTo(ServerAdminState.DRAIN);
    assertThat(s1.checkStatus()).isEqualTo(CheckStatus.L4OK);
    assertThat(s1.checkResult()).isEqualTo(CheckResult.PASSED);
    assertThat(s1.checkHealth()).isEqualTo(4);
    assertThat(s1.checkState().flags()).containsExactlyInAnyOrder(CheckFlag.CONFIGURED, CheckFlag.ENABLED);
    assertThat(s1.agentState()).isEqualTo(CheckFlags.NONE);
    assertThat(s1.fqdn()).isEmpty();
    assertThat(s1.srvRecord()).isEmpty();
    assertThat(s1.useSsl()).contains(false);
    assertThat(s1.checkPort()).hasValue(0);
    assertThat(s1.checkAddress()).isEmpty();
    assertThat(s1.agentPort()).hasValue(0);
    assertThat(s1.qualifiedName()).isEqualTo("be/s1");
  }

  @Test
  void forcedMaintenanceStopsTheServerAndPausesItsCheck() {
    ServerState s2 = server("be", "s2");
    assertThat(s2.operationalState()).isEqualTo(OperationalState.STOPPED);
    assertThat(s2.operationalState().isUp()).isFalse();
    assertThat(s2.adminState().flags()).containsExactly(AdminFlag.FMAINT);
    assertThat(s2.adminState().effective()).isEqualTo(ServerAdminState.MAINT);
    assertThat(s2.userWeight()).isEqualTo(50);
    assertThat(s2.initialWeight()).isEqualTo(50);
    assertThat(s2.checkState().bits()).isEqualTo(14);
    assertThat(s2.checkState().flags())
        .containsExactlyInAnyOrder(CheckFlag.CONFIGURED, CheckFlag.ENABLED, CheckFlag.PAUSED);
  }

  @Test
  void configDisabledServerHasForcedAndConfigMaintenance() {
    ServerState m2 = server("manual", "m2");
    assertThat(m2.adminState().bits()).isEqualTo(5);
    assertThat(m2.adminState().flags()).containsExactlyInAnyOrder(AdminFlag.FMAINT, AdminFlag.CMAINT);
    assertThat(m2.checkState().flags()).containsExactly(CheckFlag.PAUSED);
  }

  @Test
  void trackingServerInheritsDrain() {
    ServerState m3 = server("manual", "m3");
    assertThat(m3.adminState().flags()).containsExactly(AdminFlag.IDRAIN);
    assertThat(m3.adminState().drain()).isTrue();
    assertThat(m3.adminState().maintenance()).isFalse();
  }

  @Test
  void agentCheckStateCarriesTheAgentBit() {
    ServerState s3 = server("be", "s3");
    assertThat(s3.agentState().bits()).isEqualTo(22);
    assertThat(s3.agentState().flags())
        .containsExactlyInAnyOrder(CheckFlag.CONFIGURED, CheckFlag.ENABLED, CheckFlag.AGENT);
    assertThat(s3.agentState().enabled()).isTrue();
    assertThat(s3.agentPort()).hasValue(18099);
    assertThat(s3.userWeight()).as("weight 50%% of 1 rounds to 0").isZero();
    assertThat(s3.initialWeight()).isEqualTo(1);
    assertThat(s3.secondsSinceLastChange()).isEqualTo(15);
  }

  @Test
  void operationalStatesForcedFromTheCli() {
    assertThat(server("manual", "m1").operationalState()).isEqualTo(OperationalState.STOPPED); // agent down
    assertThat(server("manual", "m4").operationalState()).isEqualTo(OperationalState.STOPPING); // health stopping
    assertThat(server("manual", "m4").operationalState().isUp()).isTrue();
  }

  @Test
  void failingCheckReportsLayer4ConnectionProblem() {
    ServerState o1 = server("other", "o1");
    assertThat(o1.checkStatus()).isEqualTo(CheckStatus.L4CON);
    assertThat(o1.checkStatus().name()).isEqualTo("L4CON");
    assertThat(o1.checkResult()).isEqualTo(CheckResult.FAILED);
    assertThat(o1.checkHealth()).isZero();
    assertThat(server("web", "w1").checkStatus()).isEqualTo(CheckStatus.L7OK);
    assertThat(server("staticbe", "st1").checkStatus()).isEqualTo(CheckStatus.INI);
    assertThat(server("staticbe", "st1").checkState().configured()).isFalse();
  }

  @Test
  void parsesByHeaderSoReorderedAndExtraColumnsDoNotMatter() {
    String reordered = """
        1
        # srv_name be_name be_id srv_id srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_future
        web1 be 3 1 2001:db8::10 2 9 10 20 5 15 3 4 6 0 1 1 web1.example 8080 _http._tcp.example x
        """;

    ServerState web1 = ServersStateFormat.parse(reordered).servers().getFirst();

    assertThat(web1.serverName()).isEqualTo("web1");
    assertThat(web1.backendName()).isEqualTo("be");
    assertThat(web1.address()).isEqualTo("2001:db8::10");
    assertThat(web1.adminState().flags()).containsExactlyInAnyOrder(AdminFlag.FMAINT, AdminFlag.FDRAIN);
    assertThat(web1.adminState().effective()).isEqualTo(ServerAdminState.MAINT);
    assertThat(web1.userWeight()).isEqualTo(10);
    assertThat(web1.initialWeight()).isEqualTo(20);
    assertThat(web1.backendIdForced()).isTrue();
    assertThat(web1.fqdn()).contains("web1.example");
    assertThat(web1.srvRecord()).contains("_http._tcp.example");
    assertThat(web1.field("srv_future")).contains("x");
    assertThat(web1.useSsl()).as("optional column absent").isEmpty();
    assertThat(web1.checkPort()).isEmpty();
    assertThat(web1.agentAddress()).isEmpty();
    assertThat(web1.agentPort()).isEmpty();
  }

  @Test
  void unknownCodesAndBitsRoundTrip() {
    String odd = """
        1
        # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord
        3 be 1 s1 127.0.0.1 7 385 1 1 0 42 9 0 2560 0 0 0 - 80 -
        """;

    ServerState s = ServersStateFormat.parse(odd).servers().getFirst();

    assertThat(s.operationalState()).isEqualTo(OperationalState.valueOf(7));
    assertThat(s.operationalState().name()).isEqualTo("UNKNOWN(7)");
    assertThat(s.adminState().bits()).isEqualTo(385);
    assertThat(s.adminState().flags()).containsExactly(AdminFlag.FMAINT);
    assertThat(s.adminState().unknownBits()).isEqualTo(0x180);
    assertThat(s.checkStatus().code()).isEqualTo(42);
    assertThat(s.checkResult().code()).isEqualTo(9);
    assertThat(s.checkState().flags()).containsExactly(CheckFlag.PURGE);
    assertThat(s.checkState().unknownBits()).isEqualTo(0x800);
  }

  @Test
  void emptyBackendHasHeaderButNoServers() {
    ServersState empty = ServersStateFormat.parse("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state "
        + "srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result "
        + "srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port "
        + "srvrecord\n\n");

    assertThat(empty.servers()).isEmpty();
    assertThat(empty.columns()).hasSize(20);
  }

  @Test
  void malformedDumpsAreReplyErrorsNamingLineAndField() {
    String header = state.text().lines().limit(2).reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThatThrownBy(() -> ServersStateFormat.parse("2\n" + header.substring(2)))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("line 1").hasMessageContaining("expected: format version 1");
    assertThatThrownBy(() -> ServersStateFormat.parse(header + "\n3 be 1 s1 127.0.0.1 2\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("line 3: 6 fields (expected: at least 20)");
    assertThatThrownBy(() -> ServersStateFormat.parse(
            header + "\n3 be 1 s1 127.0.0.1 up 0 1 1 3 6 3 4 6 0 0 0 - 18081 - 0 0 - - 0\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("line 3: srv_op_state: \"up\" (expected: an integer)");
    assertThatThrownBy(() -> ServersStateFormat.parse("1\n# be_id be_name\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("header has no srv_id column");
    assertThatThrownBy(() -> ServersStateFormat.parse(""))
        .isInstanceOf(RuntimeReplyException.class);
  }

  @Test
  void adminFlagsBuildAndDescribeThemselves() {
    AdminFlags flags = AdminFlags.of(AdminFlag.FMAINT, AdminFlag.IDRAIN);
    assertThat(flags.bits()).isEqualTo(0x11);
    assertThat(flags.toString()).isEqualTo("0x11[FMAINT, IDRAIN]");
    assertThat(AdminFlags.valueOf(0).effective()).isEqualTo(ServerAdminState.READY);
    assertThat(List.of(AdminFlag.values())).extracting(AdminFlag::bit)
        .containsExactly(0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40);
    assertThat(AdminFlags.of(AdminFlag.CMAINT).effective()).as("HAProxy's MAINT mask excludes CMAINT")
        .isEqualTo(ServerAdminState.READY);
  }
}
