package org.example.lb.dns.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The extension point for health-driven answers: an RRset bound to a dynamic source answers from chunks compiled per
 * state at build time, selected per query by the source's current state, with no table rebuild.
 */
class DynamicRrsetsTest {
  @Test
  void aBoundRrsetAnswersFromTheChunkTheCurrentStateSelects() throws Exception {
    AtomicInteger state = new AtomicInteger(); // 0: primary up, 1: primary down (secondary, short TTL), 2: all down
    DynamicRrsets failover = (name, type, zoneRrset, compiler) -> {
      if (!name.equals(WireName.of("www.example.com")) || type != RrType.A.code()) {
        return Optional.empty();
      }
      Name owner = zoneRrset.getFirst().getName();
      Chunk[] byState = {
          compiler.compile(List.of(a(owner, 300, "192.0.2.10"))),
          compiler.compile(List.of(a(owner, 30, "192.0.2.20"))),
          compiler.compile(List.of())};
      return Optional.of(() -> byState[state.get()]);
    };
    AnswerTable table = AnswerTable.build(List.of(TestZones.load("example.com")), Identity.none(), failover);
    Responder responder = Responder.create(() -> table, new QueryStats());

    assertThat(ask(responder, "www.example.com.", Type.A).getSection(Section.ANSWER)).extracting(ResponderTest::text)
        .containsExactly("www.example.com. 300 IN A 192.0.2.10");
    state.set(1);
    assertThat(ask(responder, "WWW.example.com.", Type.A).getSection(Section.ANSWER)).extracting(ResponderTest::text)
        .containsExactly("WWW.example.com. 30 IN A 192.0.2.20");
    assertThat(ask(responder, "alias.example.com.", Type.A).getSection(Section.ANSWER)).as("chains stay static")
        .hasSize(3);
    state.set(2);
    Message none = ask(responder, "www.example.com.", Type.A);
    assertThat(none.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(none.getSection(Section.ANSWER)).isEmpty();
    assertThat(none.getSection(Section.AUTHORITY)).hasSize(1);
    assertThat(ask(responder, "www.example.com.", Type.AAAA).getSection(Section.ANSWER)).as("AAAA not bound")
        .hasSize(1);
  }

  private static Record a(Name owner, long ttl, String address) {
    try {
      return new ARecord(owner, DClass.IN, ttl, InetAddress.getByName(address)); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Message ask(Responder responder, String name, int type) throws Exception {
    byte[] q = ResponderTest.query(name, type).toWire();
    byte[] out = new byte[65535];
    int n = responder.respond(q, q.length, out, false);
    return new Message(Arrays.copyOf(out, n));
  }
}
