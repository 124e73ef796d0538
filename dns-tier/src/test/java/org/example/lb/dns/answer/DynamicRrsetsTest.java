package org.example.lb.dns.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;
import org.example.lb.dns.zone.ZoneException;
import org.example.lb.dns.zone.ZoneFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The extension point for health-driven answers: a dynamic name answers A and AAAA from chunks compiled per state at
 * bind time and selected per query, with no table rebuild; the zone rules of gdnsd's DYNA hold.
 */
class DynamicRrsetsTest {
  @TempDir Path dir;

  /** A hand-made source: three states of a failover, chosen by {@code state}, for every name given. */
  private static DynamicRrsets failover(AtomicInteger state, String... names) {
    return new DynamicRrsets() {
      @Override
      public Set<WireName> names() {
        return Arrays.stream(names).map(WireName::of).collect(java.util.stream.Collectors.toSet());
      }

      @Override
      public Answer bind(WireName name, int type, RrsetCompiler compiler) {
        if (type == RrType.AAAA.code()) {
          return Answer.fixed(compiler.compile(List.of(ip("2001:db8::10")), 300));
        }
        Chunk[] byState = {
            compiler.compile(List.of(ip("192.0.2.10"), ip("192.0.2.11")), 300),
            compiler.compile(List.of(ip("192.0.2.20")), 30),
            compiler.compile(List.of(), 0)};
        return random -> byState[state.get()];
      }
    };
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void aDynamicNameAnswersFromTheChunkTheCurrentStateSelects() throws Exception {
    AtomicInteger state = new AtomicInteger();
    AnswerTable table = AnswerTable.build(List.of(TestZones.load("example.org")), Identity.none(),
        failover(state, "www.example.org", "dyn.example.org", "deep.er.example.org"));
    Responder responder = Responder.create(() -> table, new QueryStats());

    assertThat(answers(ask(responder, "www.example.org.", Type.A))).containsExactly(
        "www.example.org. 300 IN A 192.0.2.10", "www.example.org. 300 IN A 192.0.2.11");
    assertThat(answers(ask(responder, "www.example.org.", Type.MX))).as("other types stay the zone's")
        .containsExactly("www.example.org. 3600 IN MX 10 mail.example.org.");
    assertThat(answers(ask(responder, "www.example.org.", Type.AAAA))).containsExactly(
        "www.example.org. 300 IN AAAA 2001:db8:0:0:0:0:0:10");
    assertThat(answers(ask(responder, "dyn.example.org.", Type.A))).as("a name not in the zone file is added")
        .hasSize(2);
    Message ent = ask(responder, "er.example.org.", Type.A);
    assertThat(ent.getRcode()).as("its empty non-terminals exist").isEqualTo(Rcode.NOERROR);
    assertThat(ent.getSection(Section.AUTHORITY)).hasSize(1);
    Message txt = ask(responder, "dyn.example.org.", Type.TXT);
    assertThat(txt.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(txt.getSection(Section.ANSWER)).as("NODATA for other types").isEmpty();

    state.set(1);
    assertThat(answers(ask(responder, "WWW.example.org.", Type.A))).as("0x20 case kept")
        .containsExactly("WWW.example.org. 30 IN A 192.0.2.20");
    assertThat(answers(ask(responder, "alias2.example.org.", Type.A))).as("a chain ends with the dynamic addresses")
        .containsExactly("alias2.example.org. 3600 IN CNAME alias.example.org.",
            "alias.example.org. 3600 IN CNAME www.example.org.", "www.example.org. 30 IN A 192.0.2.20");
    assertThat(answers(ask(responder, "alias.example.org.", Type.MX))).containsExactly(
        "alias.example.org. 3600 IN CNAME www.example.org.", "www.example.org. 3600 IN MX 10 mail.example.org.");

    state.set(2);
    Message none = ask(responder, "www.example.org.", Type.A);
    assertThat(none.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(none.getSection(Section.ANSWER)).isEmpty();
    assertThat(none.getSection(Section.AUTHORITY)).extracting(ResponderTest::text).singleElement().asString()
        .startsWith("example.org. 300 IN SOA");
    Message chainNodata = ask(responder, "alias.example.org.", Type.A);
    assertThat(answers(chainNodata)).containsExactly("alias.example.org. 3600 IN CNAME www.example.org.");
    assertThat(chainNodata.getSection(Section.AUTHORITY)).hasSize(1);
  }

  @Test
  void aZoneWithAddressRecordsOrACnameAtADynamicNameDoesNotLoadAndSaysTheLine() throws Exception {
    for (String clash : new String[] {"www IN A 192.0.2.99", "www IN AAAA 2001:db8::99", "dyn IN CNAME mail"}) {
      Path file = dir.resolve("example.org");
      String zone = Files.readString(TestZones.file("example.org")) + clash + "\n";
      Files.writeString(file, zone);
      int line = (int) zone.lines().count();
      var z = ZoneFile.load(WireName.of("example.org"), file);
      assertThatThrownBy(() -> AnswerTable.build(List.of(z), Identity.none(),
          failover(new AtomicInteger(), "www.example.org", "dyn.example.org")))
          .isInstanceOf(ZoneException.class)
          .hasMessageStartingWith(file + ":" + line + ": ")
          .hasMessageContaining("record at a dynamic name (expected: no A, AAAA or CNAME");
    }
  }

  @Test
  void aNameServerCannotBeDynamic() {
    assertThatThrownBy(() -> AnswerTable.build(List.of(TestZones.load("example.org")), Identity.none(),
        failover(new AtomicInteger(), "ns1.example.org")))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining(":5: ns1.example.org.: dynamic name is the target of an NS record");
  }

  @Test
  void aDynamicNameBelowADelegationIsRefused() {
    assertThatThrownBy(() -> AnswerTable.build(List.of(TestZones.load("example.org")), Identity.none(),
        failover(new AtomicInteger(), "www.sub.example.org")))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("www.sub.example.org.: dynamic name at or below the delegation sub.example.org.");
  }

  @Test
  void aDynamicNameBelongsToTheDeepestZone() throws Exception {
    // example.com is served too: a dynamic name of example.org is not looked for in it, and vice versa
    AnswerTable table = AnswerTable.build(List.of(TestZones.load("example.com"), TestZones.load("example.org")),
        Identity.none(), failover(new AtomicInteger(), "dyn.example.org", "dyn.example.com"));
    Responder responder = Responder.create(() -> table, new QueryStats());
    assertThat(answers(ask(responder, "dyn.example.org.", Type.A))).hasSize(2);
    assertThat(answers(ask(responder, "dyn.example.com.", Type.A))).hasSize(2);
    assertThat(answers(ask(responder, "www.example.com.", Type.A))).as("static names unchanged").hasSize(2);
  }

  private static List<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream().map(ResponderTest::text).toList();
  }

  private static Message ask(Responder responder, String name, int type) throws Exception {
    byte[] q = ResponderTest.query(name, type).toWire();
    byte[] out = new byte[65535];
    int n = responder.respond(q, q.length, out, false);
    return new Message(Arrays.copyOf(out, n));
  }
}
