package org.example.lb.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.Identity;
import org.example.lb.dns.wire.WireName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zone files that cannot be served are refused in one line naming the file and the line. */
class ZoneFileTest {
  @TempDir Path dir;

  private static final String HEAD = """
      $TTL 3600
      @   IN SOA ns1 hostmaster ( 1 7200 900 1209600 300 )
          IN NS  ns1
      ns1 IN A   192.0.2.1
      """;

  private Path write(String text) throws Exception {
    Path f = dir.resolve("example.com");
    Files.writeString(f, text);
    return f;
  }

  private Zone load(String text) throws Exception {
    return ZoneFile.load(WireName.of("example.com"), write(text));
  }

  @Test
  void aValidZoneLoadsWithEveryRecordAndItsLine() throws Exception {
    Zone z = load(HEAD + "\n; a comment\nwww IN A 192.0.2.10\n");
    assertThat(z.records()).hasSize(4);
    assertThat(z.serial()).isEqualTo(1);
    assertThat(z.negativeTtl()).isEqualTo(300);
    assertThat(z.records().getLast().line()).isEqualTo(7);
    assertThat(z.records().getFirst().line()).isEqualTo(2);
  }

  @Test
  void aSyntaxErrorNamesFileAndLine() throws Exception {
    Path f = write(HEAD + "www IN A 192.0.2.300\n");
    assertThatThrownBy(() -> ZoneFile.load(WireName.of("example.com"), f)).isInstanceOf(ZoneException.class)
        .hasMessageStartingWith(f + ":5: ").hasMessageContaining("192.0.2.300");
  }

  @Test
  void cnameAndOtherDataIsRefusedAtTheSecondRecord() throws Exception {
    Path f = write(HEAD + "www IN A 192.0.2.10\nwww IN CNAME ns1\n");
    assertThatThrownBy(() -> ZoneFile.load(WireName.of("example.com"), f))
        .hasMessage(f + ":6: www.example.com.: CNAME and other data (expected: a CNAME alone at its name; see line 5)");
  }

  @Test
  void namesOutsideTheZoneAreRefused() throws Exception {
    Path f = write(HEAD + "www.example.org. IN A 192.0.2.10\n");
    assertThatThrownBy(() -> ZoneFile.load(WireName.of("example.com"), f))
        .hasMessage(f + ":5: www.example.org.: outside the zone (expected: a name at or below example.com.)");
  }

  @Test
  void theSoaAndApexNsAreRequiredOnce() throws Exception {
    Path noSoa = write("$TTL 60\n@ IN NS ns1\n");
    assertThatThrownBy(() -> ZoneFile.load(WireName.of("example.com"), noSoa)).hasMessageContaining("no SOA record");
    assertThatThrownBy(() -> load(HEAD + "@ IN SOA ns2 h 2 1 1 1 1\n")).hasMessageContaining(":5: ")
        .hasMessageContaining("a second SOA (expected: one, first at line 2)");
    assertThatThrownBy(() -> load(HEAD.replace("    IN NS  ns1\n", ""))).hasMessageContaining(":2: ")
        .hasMessageContaining("no NS records at the apex");
  }

  @Test
  void otherClassesDnameAndIncludesAreRefused() throws Exception {
    assertThatThrownBy(() -> load(HEAD + "txt CH TXT \"x\"\n")).hasMessageContaining(":5: ")
        .hasMessageContaining("class CH (expected: IN)");
    assertThatThrownBy(() -> load(HEAD + "d IN DNAME example.net.\n")).hasMessageContaining(":5: ")
        .hasMessageContaining("DNAME");
    assertThatThrownBy(() -> load(HEAD + "$INCLUDE /etc/passwd\n")).isInstanceOf(ZoneException.class)
        .hasMessageContaining(":5:");
  }

  @Test
  void aCnameLoopIsRefusedWhenCompiled() throws Exception {
    Path f = write(HEAD + "a IN CNAME b\nb IN CNAME a\n");
    Zone z = ZoneFile.load(WireName.of("example.com"), f);
    assertThatThrownBy(() -> AnswerTable.build(List.of(z), Identity.none())).isInstanceOf(ZoneException.class)
        .hasMessageStartingWith(f + ":5: a.example.com.: CNAME chain loops back to a.example.com.");
  }

  @Test
  void aMissingFileIsOneLine() {
    assertThatThrownBy(() -> ZoneFile.load(WireName.of("example.com"), dir.resolve("nothing")))
        .hasMessage(dir.resolve("nothing") + ": no such file (expected: a readable zone file)");
  }
}
