package org.example.lb.dns.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.dns.TestResources;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.answer.Answer;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.Identity;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.Responder;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.wire.Chunk;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Dynamic names answered through the responder (no sockets): multifo, simplefo and weighted selections, TTLs clamped
 * per name, updates that recompile only what changed, weighted draws over many queries with a seeded generator.
 */
class DynamicAnswersTest {
  private final AnswerCounters counters = new AnswerCounters();
  private DynamicAnswers dynamic;
  private Responder responder;

  @BeforeEach
  void build() throws Exception {
    dynamic = DynamicAnswers.of(TestResources.resources(), TestResources.bindings(), counters,
        HealthSnapshot.EMPTY);
    AnswerTable table = AnswerTable.build(List.of(TestZones.load("example.org")), Identity.none(), dynamic);
    responder = Responder.create(() -> table, new QueryStats(), new SplittableRandom(5353));
  }

  private Message ask(String name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    byte[] wire = q.toWire();
    byte[] out = new byte[65535];
    int n = responder.respond(wire, wire.length, out, false);
    return new Message(Arrays.copyOf(out, n));
  }

  private List<String> answers(String name, int type) throws Exception {
    return ask(name, type).getSection(Section.ANSWER).stream().map(r -> r.toString().replaceAll("\\s+", " "))
        .toList();
  }

  @Test
  void multifoAnswersFollowTheHealthWithTheTtlClampedToTheNamesLimits() throws Exception {
    assertThat(answers("www.example.org.", Type.A)).containsExactly("www.example.org. 300 IN A 192.0.2.1",
        "www.example.org. 300 IN A 192.0.2.2", "www.example.org. 300 IN A 192.0.2.3");
    Snapshots h = new Snapshots().set("192.0.2.2/up", HealthState.down(40));
    dynamic.update(h.snapshot());
    assertThat(answers("www.example.org.", Type.A)).containsExactly("www.example.org. 40 IN A 192.0.2.1",
        "www.example.org. 40 IN A 192.0.2.3");
    assertThat(answers("www.example.org.", Type.AAAA)).as("the TTL covers both families, as gdnsd's")
        .containsExactly("www.example.org. 40 IN AAAA 2001:db8:0:0:0:0:0:1");
    assertThat(answers("alias2.example.org.", Type.A)).as("through a CNAME chain").containsExactly(
        "alias2.example.org. 3600 IN CNAME alias.example.org.", "alias.example.org. 3600 IN CNAME www.example.org.",
        "www.example.org. 40 IN A 192.0.2.1", "www.example.org. 40 IN A 192.0.2.3");
    h.set("192.0.2.3/up", HealthState.down(10));
    dynamic.update(h.snapshot());
    assertThat(answers("www.example.org.", Type.A)).as("under up_thresh: all, TTL raised to minTtl 30")
        .containsExactly("www.example.org. 30 IN A 192.0.2.1", "www.example.org. 30 IN A 192.0.2.2",
            "www.example.org. 30 IN A 192.0.2.3");
    assertThat(counters.snapshot().get("www")).containsEntry(ResourceState.UP, 1L)
        .containsEntry(ResourceState.DEGRADED, 3L).containsEntry(ResourceState.DOWN, 1L);
  }

  @Test
  void simplefoFailsOverAndBack() throws Exception {
    assertThat(answers("dyn.example.org.", Type.A)).containsExactly("dyn.example.org. 300 IN A 192.0.2.10");
    Snapshots h = new Snapshots().set("192.0.2.10/up", HealthState.down(200)).set("192.0.2.20/up",
        HealthState.up(400));
    dynamic.update(h.snapshot());
    assertThat(answers("dyn.example.org.", Type.A)).containsExactly("dyn.example.org. 200 IN A 192.0.2.20");
    h.set("192.0.2.10/up", HealthState.up(100));
    dynamic.update(h.snapshot());
    assertThat(answers("dyn.example.org.", Type.A)).as("minTtl: half of 300").containsExactly(
        "dyn.example.org. 150 IN A 192.0.2.10");
    Message aaaa = ask("dyn.example.org.", Type.AAAA);
    assertThat(aaaa.getRcode()).as("no IPv6 address: NODATA").isEqualTo(Rcode.NOERROR);
    assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
    assertThat(aaaa.getSection(Section.AUTHORITY)).hasSize(1);
  }

  @Test
  void weightedAnswersOneAddressWithOddsWeightOverSum() throws Exception {
    Map<String, Integer> seen = count("cdn.example.org.", 80_000);
    assertThat(seen.keySet()).containsExactlyInAnyOrder("192.0.2.31", "192.0.2.32", "192.0.2.33");
    assertThat(seen.get("192.0.2.31") / 80_000.0).isCloseTo(3 / 8.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(seen.get("192.0.2.32") / 80_000.0).isCloseTo(1 / 8.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(seen.get("192.0.2.33") / 80_000.0).isCloseTo(4 / 8.0, org.assertj.core.data.Offset.offset(0.01));

    dynamic.update(new Snapshots().set("192.0.2.31/up", HealthState.down(20)).snapshot());
    Map<String, Integer> without = count("cdn.example.org.", 50_000);
    assertThat(without).doesNotContainKey("192.0.2.31");
    assertThat(without.get("192.0.2.33") / 50_000.0).isCloseTo(4 / 5.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(answers("cdn.example.org.", Type.A).getFirst()).startsWith("cdn.example.org. 20 IN A ");
  }

  @Test
  void weightedMultiAnswersEachAddressWithOddsWeightOverTheLargest() throws Exception {
    int queries = 40_000;
    Map<String, Integer> seen = count("multi.example.org.", queries);
    assertThat(seen.get("192.0.2.41")).as("largest weight: always").isEqualTo(queries);
    assertThat(seen.get("192.0.2.42")).isEqualTo(queries);
    assertThat(seen.get("192.0.2.43") / (double) queries).isCloseTo(45 / 60.0,
        org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void everyAnswerDuringHealthChangesIsOneWholeSelection() throws Exception {
    Snapshots one = new Snapshots().set("192.0.2.2/up", HealthState.down(40));
    Snapshots other = new Snapshots().set("192.0.2.1/up", HealthState.down(60)).set("2001:db8::1/up",
        HealthState.up(90));
    List<String> first = List.of("www.example.org. 40 IN A 192.0.2.1", "www.example.org. 40 IN A 192.0.2.3");
    List<String> second = List.of("www.example.org. 60 IN A 192.0.2.2", "www.example.org. 60 IN A 192.0.2.3");
    dynamic.update(one.snapshot());
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread health = Thread.ofPlatform().start(() -> { // the health executor, publishing as fast as it can
      for (int i = 0; i < 20_000; i++) {
        dynamic.update((i % 2 == 0 ? other : one).snapshot());
      }
      done.set(true);
    });
    int asked = 0;
    while (!done.get() || asked == 0) {
      List<String> got = answers("www.example.org.", Type.A);
      assertThat(got).as("answer %d", asked).isIn(first, second);
      asked++;
    }
    health.join();
    assertThat(asked).isPositive();
  }

  /** How often each address is in the answers of {@code queries} A queries. */
  private Map<String, Integer> count(String name, int queries) throws Exception {
    byte[] query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
    byte[] out = new byte[65535];
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < queries; i++) {
      responder.respond(query, query.length, out, false);
      int answers = (out[6] & 0xFF) << 8 | out[7] & 0xFF;
      for (int a = 0, at = query.length; a < answers; a++, at += 16) { // each A record: pointer, 10 bytes, 4 of rdata
        seen.merge((out[at + 12] & 0xFF) + "." + (out[at + 13] & 0xFF) + "." + (out[at + 14] & 0xFF) + "."
            + (out[at + 15] & 0xFF), 1, Integer::sum);
      }
    }
    return seen;
  }

  @Test
  void anUpdateRecompilesOnlyTheResourcesWhoseSelectionChanged() {
    AtomicInteger wwwCompiles = new AtomicInteger();
    AtomicInteger mailCompiles = new AtomicInteger();
    DynamicAnswers d = DynamicAnswers.of(TestResources.resources(), TestResources.bindings(), counters,
        HealthSnapshot.EMPTY);
    Answer www = d.bind(WireName.of("www.example.org"), RrType.A.code(), (a, ttl) -> {
      wwwCompiles.incrementAndGet();
      return Chunk.empty(true, org.example.lb.dns.wire.Rcode.NOERROR);
    });
    Answer mail = d.bind(WireName.of("dyn.example.org"), RrType.A.code(), (a, ttl) -> {
      mailCompiles.incrementAndGet();
      return Chunk.empty(true, org.example.lb.dns.wire.Rcode.NOERROR);
    });
    Chunk mailBefore = mail.chunk(new SplittableRandom(1));
    d.update(new Snapshots().set("192.0.2.1/up", HealthState.down(60)).snapshot());
    assertThat(wwwCompiles.get()).isEqualTo(2);
    assertThat(mailCompiles.get()).as("mail's selection did not change").isEqualTo(1);
    assertThat(mail.chunk(new SplittableRandom(1))).isSameAs(mailBefore);
    d.update(new Snapshots().set("192.0.2.1/up", HealthState.down(60)).snapshot());
    assertThat(wwwCompiles.get()).as("the same selection again").isEqualTo(2);
    assertThat(www.chunk(new SplittableRandom(1))).isNotNull();
  }
}
