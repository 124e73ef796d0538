package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatCsvTest {
  private final List<StatRow> rows = StatCsv.parse(Fixtures.statsOutput("show-stat.csv"));

  private StatRow row(String px, String sv) {
    return rows.stream().filter(r -> r.pxname().equals(px) && r.svname().equals(sv)).findFirst().orElseThrow();
  }

  @Test
  void capturedOutputHasOneRowPerFrontendBackendAndServer() {
    assertThat(rows).hasSize(18);
    assertThat(row("fe", "FRONTEND").type()).isEqualTo(StatType.FRONTEND);
    assertThat(row("be", "BACKEND").type()).isEqualTo(StatType.BACKEND);
    assertThat(row("be", "s1").type()).isEqualTo(StatType.SERVER);
  }

  @Test
  void serverRowsExposeTypedColumns() {
    StatRow s1 = row("be", "s1");
    assertThat(s1.status()).isEqualTo("DRAIN");
    assertThat(s1.weight()).hasValue(1);
    assertThat(s1.scur()).hasValue(0);
    assertThat(s1.act()).hasValue(1);
    assertThat(s1.bck()).hasValue(0);
    assertThat(s1.chkfail()).hasValue(0);
    assertThat(s1.lastchg()).hasValue(1);
    assertThat(s1.checkStatus()).contains("L4OK");
    assertThat(s1.agentStatus()).isEmpty();

    StatRow s2 = row("be", "s2");
    assertThat(s2.status()).isEqualTo("MAINT");
    assertThat(s2.weight()).hasValue(50);

    assertThat(row("be", "s3").agentStatus()).contains("L4CON");
    assertThat(row("manual", "m1").status()).isEqualTo("DOWN (agent)");
    assertThat(row("manual", "m4").status()).isEqualTo("NOLB");
    assertThat(row("web", "w1").checkStatus()).contains("L7OK");
    assertThat(row("other", "o1").bck()).hasValue(1);
  }

  @Test
  void blankColumnsAreEmptyNotZero() {
    StatRow fe = row("fe", "FRONTEND");
    assertThat(fe.weight()).isEmpty();
    assertThat(fe.checkStatus()).isEmpty();
    assertThat(fe.slim()).hasValue(9974);
    assertThat(fe.field("weight")).contains("");
    assertThat(fe.field("no_such_column")).isEmpty();
    assertThat(fe.number("no_such_column")).isEmpty();
  }

  @Test
  void rawFieldsIncludeColumnsWithoutTypedAccessors() {
    StatRow s1 = row("be", "s1");
    assertThat(s1.field("addr")).contains("127.0.0.1:18081");
    assertThat(s1.field("mode")).contains("http");
    assertThat(s1.number("uweight")).hasValue(1);
    assertThat(s1.fields()).doesNotContainKey(""); // HAProxy's trailing comma
  }

  @Test
  void parsesByHeaderSoReorderedAndExtraColumnsDoNotMatter() {
    String csv = """
        # type,future_metric,svname,status,weight,pxname,check_status,
        2,42,web1,UP,10,be,* L7OK,
        1,,BACKEND,UP,10,be,,
        3,,sock-1,OPEN,,fe,,
        """;

    List<StatRow> parsed = StatCsv.parse(csv);

    assertThat(parsed).hasSize(3);
    StatRow web1 = parsed.getFirst();
    assertThat(web1.pxname()).isEqualTo("be");
    assertThat(web1.svname()).isEqualTo("web1");
    assertThat(web1.type()).isEqualTo(StatType.SERVER);
    assertThat(web1.weight()).hasValue(10);
    assertThat(web1.checkStatus()).as("running-check prefix stripped").contains("L7OK");
    assertThat(web1.field("check_status")).contains("* L7OK");
    assertThat(web1.number("future_metric")).hasValue(42);
    assertThat(web1.scur()).as("column absent from header").isEqualTo(OptionalLong.empty());
    assertThat(parsed.get(2).type()).isEqualTo(StatType.LISTENER);
  }

  @Test
  void quotedFieldsMayContainCommasAndQuotes() {
    String csv = "# pxname,svname,type,last_chk,\nbe,s1,2,\"said \"\"no\"\", twice\",\n";

    assertThat(StatCsv.parse(csv).getFirst().field("last_chk")).contains("said \"no\", twice");
  }

  @Test
  void unknownTypeCodeRoundTrips() {
    StatRow row = StatCsv.parse("# pxname,svname,type\nx,y,7\n").getFirst();

    assertThat(row.type()).isEqualTo(StatType.valueOf(7));
    assertThat(row.type().code()).isEqualTo(7);
    assertThat(row.type().name()).isEqualTo("UNKNOWN(7)");
  }

  @Test
  void missingHeaderIsAReplyErrorNamingTheLine() {
    assertThatThrownBy(() -> StatCsv.parse("fe,FRONTEND,0\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("show stat: line 1")
        .hasMessageContaining("expected: the header");
    assertThatThrownBy(() -> StatCsv.parse("# pxname,status\nfe,OPEN\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("no svname column");
    assertThatThrownBy(() -> StatCsv.parse(""))
        .isInstanceOf(RuntimeReplyException.class);
  }

  @Test
  void nonNumericValueInNumericColumnIsAReplyError() {
    StatRow row = StatCsv.parse("# pxname,svname,type,weight\nbe,s1,2,heavy\n").getFirst();

    assertThatThrownBy(row::weight)
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("be/s1: weight: \"heavy\" (expected: an integer)");
  }

  @Test
  void unterminatedQuoteIsAReplyError() {
    assertThatThrownBy(() -> StatCsv.parse("# pxname,svname,type\nbe,\"s1,2\n"))
        .isInstanceOf(RuntimeReplyException.class)
        .hasMessageContaining("line 2");
  }
}
