package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.example.lb.l7.runtime.RuntimeCommandException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CliReplyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "err-no-such-backend.txt, NO_SUCH_BACKEND, 3",
    "err-cant-find-backend.txt, NO_SUCH_BACKEND, 3",
    "err-no-such-server.txt, NO_SUCH_SERVER, 3",
    "err-permission-denied.txt, PERMISSION_DENIED, 3",
    "err-unknown-command.txt, UNKNOWN_COMMAND, 6",
    "err-invalid-state.txt, INVALID_ARGUMENT, 3",
    "err-weight-garbage.txt, INVALID_ARGUMENT, 3",
    "err-del-not-maint.txt, OTHER, 3",
    "err-add-static-backend.txt, OTHER, 3",
  })
  void capturedErrorRepliesMapToTypedExceptions(String fixture, Kind kind, int severity) {
    CliReply reply = CliReply.ofStatsSocket("cmd", Fixtures.raw(fixture));

    assertThat(reply.failed()).isTrue();
    assertThatThrownBy(reply::requireSuccess)
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.severity()).contains(Severity.valueOf(severity));
          assertThat(e.command()).isEqualTo("cmd");
          assertThat(e.errorMessage()).doesNotStartWith("[").doesNotContain("\n");
        });
  }

  @ParameterizedTest
  @CsvSource({
    "add-server-ok.txt, New server registered.",
    "del-server-ok.txt, Server deleted.",
    "warning-addr-unchanged.txt, 'no need to change the addr, no need to change the port by ''stats socket command'''",
    "set-state-ok.txt, ''",
  })
  void successRepliesWithOrWithoutMessageAreNotErrors(String fixture, String message) {
    CliReply reply = CliReply.ofStatsSocket("cmd", Fixtures.raw(fixture));

    assertThat(reply.failed()).isFalse();
    assertThat(reply.message()).isEqualTo(message);
    assertThat(reply.requireSuccess()).isSameAs(reply);
  }

  @Test
  void delServerReplyWithoutTrailingBlankLineIsRecognised() {
    String raw = Fixtures.raw("del-server-ok.txt");
    assertThat(raw).isEqualTo("\n[6]: Server deleted.\n"); // as 2.6.12 sends it: no blank line at the end

    CliReply reply = CliReply.ofStatsSocket("del server be/d1", raw);

    assertThat(reply.severity()).isEqualTo(Severity.INFO);
    assertThat(reply.message()).isEqualTo("Server deleted.");
  }

  @Test
  void bodyDropsTheEmptyLineThatEndsAReply() {
    assertThat(CliReply.ofStatsSocket("c", "\n\n").body()).isEmpty();
    assertThat(CliReply.ofStatsSocket("c", "\nbe\nother\n\n").body()).isEqualTo("be\nother\n");
    assertThat(CliReply.ofStatsSocket("c", "\n[6]: Server deleted.\n").body()).isEqualTo("[6]: Server deleted.\n");
  }

  @Test
  void unknownCommandKeepsSuggestionsInTheReply() {
    RuntimeCommandException e = (RuntimeCommandException) org.assertj.core.api.Assertions.catchThrowable(
        () -> CliReply.ofStatsSocket("bogus command", Fixtures.raw("err-unknown-command.txt")).requireSuccess());

    assertThat(e.errorMessage()).startsWith("Unknown command");
    assertThat(e.reply()).contains("help [<command>]");
    assertThat(e.getMessage()).startsWith("bogus command: Unknown command").endsWith("[info]");
  }

  @Test
  void dataOutputWithoutPrefixIsSuccess() {
    CliReply reply = CliReply.ofStatsSocket("show info", Fixtures.raw("show-info.txt"));

    assertThat(reply.failed()).isFalse();
    assertThat(reply.severityIfAny()).isEmpty();
    assertThat(reply.text()).startsWith("Name: HAProxy\n");
  }

  @Test
  void unknownSeverityCodeRoundTripsAndCountsByLevel() {
    CliReply reply = CliReply.ofStatsSocket("cmd", "\n[9]: something odd\n\n");

    assertThat(reply.severity()).isEqualTo(new Severity(9));
    assertThat(reply.severity().name()).isEqualTo("severity(9)");
    assertThat(reply.failed()).isFalse();
    assertThat(CliReply.ofStatsSocket("cmd", "\n[0]: emergency\n").failed()).isTrue();
  }

  @Test
  void masterCliErrorsHaveNoSeverity() {
    assertThatThrownBy(() -> CliReply.ofMaster("@!1 show info",
            "Can't find the target PID matching the prefix '@!1'\n").requireSuccess())
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.severity()).isEmpty();
          assertThat(e.kind()).isEqualTo(Kind.OTHER);
        });
    assertThatThrownBy(() -> CliReply.ofMaster("bogus",
            "Unknown command, but maybe one of the following ones is a better match:\n  reload\n\n").requireSuccess())
        .isInstanceOfSatisfying(RuntimeCommandException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND));
    assertThat(CliReply.ofMaster("reload", "").failed()).isFalse();
    assertThat(CliReply.ofMaster("show proc", Fixtures.raw("show-proc.txt")).failed()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "No such proxy.|NO_SUCH_BACKEND",
    "Absolute weight can only be between 0 and 256 inclusive.|INVALID_ARGUMENT",
    "'set server <srv> state' expects 'ready', 'drain' and 'maint'.|INVALID_ARGUMENT",
    "Require 'backend/server'.|INVALID_ARGUMENT",
    "unknown keyword 'bogus'.|INVALID_ARGUMENT",
    "maxconn string empty or preceded by garbage|INVALID_ARGUMENT",
    "Already exists a server with the same name in backend.|OTHER",
    "Agent was not configured on this server, cannot enable.|OTHER",
    "agent checks are not enabled on this server.|OTHER",
  })
  void messagesSeenOn26AreClassified(String message, Kind kind) {
    assertThat(RuntimeCommandException.classify(message)).isEqualTo(kind);
  }
}
