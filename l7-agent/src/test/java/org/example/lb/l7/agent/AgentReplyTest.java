package org.example.lb.l7.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.example.lb.l7.agent.AgentReply.Administrative;
import org.example.lb.l7.agent.AgentReply.Operational;
import org.example.lb.l7.agent.AgentReply.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentReplyTest {

  private static AgentReply valid(String content) {
    Parsed parsed = AgentReply.parse(content);
    assertThat(parsed).as("parse(%s)", content).isInstanceOf(Parsed.Reply.class);
    return ((Parsed.Reply) parsed).reply();
  }

  private static String invalid(String content) {
    Parsed parsed = AgentReply.parse(content);
    assertThat(parsed).as("parse(%s)", content).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid) parsed).message();
  }

  static Stream<Arguments> singleWords() {
    AgentReply d = AgentReply.DEFAULT;
    return Stream.of(
        Arguments.of("up", d),
        Arguments.of("down", d.withOperational(Operational.DOWN, "")),
        Arguments.of("stopped", d.withOperational(Operational.DOWN, "")),
        Arguments.of("fail", d.withOperational(Operational.DOWN, "")),
        Arguments.of("ready", d),
        Arguments.of("drain", d.withAdministrative(Administrative.DRAIN)),
        Arguments.of("maint", d.withAdministrative(Administrative.MAINT)),
        Arguments.of("0%", d.withWeightPercent(0)),
        Arguments.of("50%", d.withWeightPercent(50)),
        Arguments.of("100%", d),
        Arguments.of("maxconn:0", d),
        Arguments.of("maxconn:10", d.withMaxconn(10)),
        Arguments.of("maxconn:2147483647", d.withMaxconn(Integer.MAX_VALUE)),
        Arguments.of("down #disk full", d.withOperational(Operational.DOWN, "disk full")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleWords")
  void eachWordSetsItsDimensionAndKeepsDefaultsForTheRest(String content, AgentReply expected) {
    assertThat(valid(content)).isEqualTo(expected);
  }

  @Test
  void missingWordsKeepTheDefaults() {
    assertThat(valid("drain")).isEqualTo(new AgentReply(Operational.UP, "", Administrative.DRAIN, 100, 0));
  }

  @Test
  void wordsCombineInAnyOrderWithSpacesTabsOrCommas() {
    assertThat(valid("drain 50%")).isEqualTo(new AgentReply(Operational.UP, "", Administrative.DRAIN, 50, 0));
    assertThat(valid("up maxconn:10")).isEqualTo(AgentReply.DEFAULT.withMaxconn(10));
    assertThat(valid("maxconn:7,\t25%  maint,down #out of disk, retrying"))
        .isEqualTo(new AgentReply(Operational.DOWN, "out of disk, retrying", Administrative.MAINT, 25, 7));
  }

  @Test
  void wordsAreCaseInsensitive() {
    assertThat(valid("DOWN Drain MaxConn:3 #Why")).isEqualTo(
        new AgentReply(Operational.DOWN, "Why", Administrative.DRAIN, 100, 3));
    assertThat(valid("UP READY")).isEqualTo(AgentReply.DEFAULT);
  }

  @Test
  void reasonRunsToTheEndOfTheLineAndIsTrimmed() {
    assertThat(valid("down #   disk full # really  ").reason()).isEqualTo("disk full # really");
    assertThat(valid("down #").reason()).isEmpty();
  }

  @Test
  void overlongReasonIsCutRatherThanRejected() {
    AgentReply reply = valid("down #" + "x".repeat(300));
    assertThat(reply.operational()).isEqualTo(Operational.DOWN);
    assertThat(reply.reason()).hasSize(AgentReply.MAX_REASON_LENGTH);
  }

  @Test
  void commentAndBlankLinesAreIgnoredAndLineEndsMayBeCrlf() {
    assertThat(valid("# set by ops, ticket 42\r\n\r\ndrain\r\n")).isEqualTo(
        AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN));
    assertThat(valid("\uFEFFmaint\n\n")).isEqualTo(AgentReply.DEFAULT.withAdministrative(Administrative.MAINT));
  }

  @Test
  void repeatingTheSameWordIsAccepted() {
    assertThat(valid("drain drain 50% 50%")).isEqualTo(
        AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN).withWeightPercent(50));
    assertThat(valid("down stopped")).isEqualTo(AgentReply.DEFAULT.withOperational(Operational.DOWN, ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n", " \n\t\n", "# only a comment\n"})
  void blankContentIsAnErrorSoTheCallerKeepsItsState(String content) {
    assertThat(invalid(content)).contains("expected: a state line");
  }

  @Test
  void unknownWordIsNamedWithTheWordsExpected() {
    assertThat(invalid("dran")).isEqualTo(
        "line 1: \"dran\" (expected: up, down, stopped, fail, ready, drain, maint, N% (0-100), maxconn:N or #reason)");
    assertThat(invalid("# header\nup sideways")).startsWith("line 2: \"sideways\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"101%", "-1%", "%", "5 0%", "1000%", "12.5%", "+5%", "50%x"})
  void weightOutsideZeroToHundredPercentIsRejected(String content) {
    assertThat(invalid(content)).containsAnyOf("(expected: a weight 0%-100%)", "(expected: up, down");
  }

  @Test
  void weightErrorSaysTheRange() {
    assertThat(invalid("101%")).isEqualTo("line 1: \"101%\" (expected: a weight 0%-100%)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"maxconn:x", "maxconn:", "maxconn:-1", "maxconn:2147483648", "maxconn:99999999999"})
  void maxconnMustBeANonNegativeInt(String content) {
    assertThat(invalid(content)).contains("(expected: maxconn:N with N 0-2147483647, 0 for unlimited)");
  }

  @Test
  void conflictingWordsAreRejected() {
    assertThat(invalid("up down")).isEqualTo(
        "line 1: \"down\" conflicts with \"up\" (expected: up or one of down/stopped/fail)");
    assertThat(invalid("fail up")).contains("conflicts with \"fail\"");
    assertThat(invalid("drain maint")).contains("\"maint\" conflicts with \"drain\"");
    assertThat(invalid("ready drain")).contains("conflicts");
    assertThat(invalid("50% 60%")).contains("\"60%\" conflicts with \"50%\"");
    assertThat(invalid("maxconn:1 maxconn:2")).contains("conflicts");
  }

  @Test
  void aSecondStateLineIsAnError() {
    assertThat(invalid("drain\nup\n")).isEqualTo(
        "line 2: \"up\" (expected: a single state line, found another on line 1; comment lines start with #)");
  }

  @Test
  void separatorsOnlyIsAnError() {
    assertThat(invalid(" , ,\t")).contains("no words");
  }

  @Test
  void encodeAlwaysCarriesEveryDimension() {
    assertThat(AgentReply.DEFAULT.encode()).isEqualTo("up ready 100% maxconn:0\n");
    assertThat(valid("drain").encode()).isEqualTo("up drain 100% maxconn:0\n");
    assertThat(valid("down #disk full").encode()).isEqualTo("down ready 100% maxconn:0 #disk full\n");
    assertThat(valid("stopped drain").encode()).isEqualTo("down drain 100% maxconn:0\n");
    assertThat(valid("maint 0% maxconn:7").encode()).isEqualTo("up maint 0% maxconn:7\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"up", "drain", "maint 0%", "down #disk full", "fail drain 30% maxconn:12 # ünïcödé, too",
      "MAXCONN:5 READY"})
  void encodeThenParseRoundTrips(String content) {
    AgentReply reply = valid(content);
    assertThat(valid(reply.encode())).isEqualTo(reply);
    assertThat(AgentReply.parse(new String(reply.encodeBytes(), java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(new Parsed.Reply(reply));
  }

  @Test
  void constructorRejectsValuesThatCannotBeEncoded() {
    assertThatThrownBy(() -> AgentReply.DEFAULT.withWeightPercent(101))
        .hasMessage("weightPercent: 101 (expected: 0-100)");
    assertThatThrownBy(() -> AgentReply.DEFAULT.withMaxconn(-1)).hasMessageStartingWith("maxconn: -1");
    assertThatThrownBy(() -> new AgentReply(Operational.DOWN, "a\nb", Administrative.READY, 100, 0))
        .hasMessageStartingWith("reason:");
  }

  @Test
  void withOperationalCleansTheReasonLikeParse() {
    assertThat(AgentReply.DEFAULT.withOperational(Operational.DOWN, " line1\nline2 ").reason())
        .isEqualTo("line1 line2");
  }

  @Test
  void nullContentIsAnErrorNotAnException() {
    assertThat(AgentReply.parse(null)).isInstanceOf(Parsed.Invalid.class);
  }
}
