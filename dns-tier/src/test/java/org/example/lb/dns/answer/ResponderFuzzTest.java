package org.example.lb.dns.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.example.lb.dns.TestZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Hostile input without sockets: 300 000 mutations of valid queries (bytes flipped, counts inflated, cut short,
 * grown with junk) never make the responder throw; each gets either no answer (dropped) or a response dnsjava can
 * parse, carrying the query's id.
 */
class ResponderFuzzTest {
  @Test
  void mutatedQueriesNeverThrowAndAreAnsweredWellFormedOrDropped() throws Exception {
    AnswerTable table = TestZones.table();
    QueryStats stats = new QueryStats();
    Responder responder = Responder.create(() -> table, stats);
    List<byte[]> seeds = new ArrayList<>();
    for (String name : List.of("www.example.com.", "alias2.example.com.", "x.sub.example.com.", "nope.example.com.",
        "big.example.com.", "foo.wild.example.com.")) {
      seeds.add(ResponderTest.query(name, Type.A).toWire());
      Message edns = ResponderTest.query(name, Type.TXT);
      edns.addRecord(new OPTRecord(1232, 0, 0, 0x8000, List.of(new NSIDOption(new byte[0]))), Section.ADDITIONAL);
      seeds.add(edns.toWire());
    }
    seeds.add(ResponderTest.query("id.server.", Type.TXT, DClass.CH).toWire());
    Random random = new Random(7);
    byte[] out = new byte[65535];
    int answered = 0;
    for (int i = 0; i < 300_000; i++) {
      byte[] q = mutate(seeds.get(random.nextInt(seeds.size())), random);
      int n = responder.respond(q, q.length, out, random.nextBoolean());
      if (n < 0) {
        continue;
      }
      answered++;
      assertThat(n).isGreaterThanOrEqualTo(12);
      assertThat(out[0] == q[0] && out[1] == q[1]).as("the query id").isTrue();
      try {
        new Message(Arrays.copyOf(out, n));
      } catch (WireParseException e) {
        throw new AssertionError("unparseable response to " + java.util.HexFormat.of().formatHex(q), e);
      }
    }
    assertThat(answered).isGreaterThan(100_000);
    assertThat(stats.get(QueryStats.Stat.FORMERR)).isPositive();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] q = seed.clone();
    switch (random.nextInt(5)) {
      case 0 -> { // flip a few bytes
        for (int k = random.nextInt(1, 4); k > 0; k--) {
          q[random.nextInt(q.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> { // inflate a count
        int at = 4 + 2 * random.nextInt(4);
        q[at] = (byte) random.nextInt(256);
        q[at + 1] = (byte) random.nextInt(256);
      }
      case 2 -> q = Arrays.copyOf(q, random.nextInt(q.length)); // cut short
      case 3 -> { // junk after
        q = Arrays.copyOf(q, q.length + random.nextInt(1, 64));
        for (int k = seed.length; k < q.length; k++) {
          q[k] = (byte) random.nextInt(256);
        }
      }
      default -> { // a compression pointer somewhere in the question
        int at = 12 + random.nextInt(Math.max(1, q.length - 13));
        q[at] = (byte) (0xC0 | random.nextInt(64));
      }
    }
    if (q.length > 2) {
      q[2] &= 0x7F; // mostly queries: responses are simply dropped
    }
    return q;
  }
}
