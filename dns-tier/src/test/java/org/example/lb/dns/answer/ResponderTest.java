package org.example.lb.dns.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The protocol, one behaviour per test, without sockets: query bytes in, response bytes out, read by dnsjava. */
class ResponderTest {
  private final QueryStats stats = new QueryStats();
  private Responder responder;
  private final byte[] out = new byte[65535];

  @BeforeEach
  void compile() throws Exception {
    AnswerTable table = TestZones.table();
    responder = Responder.create(() -> table, stats);
  }

  static Message query(String name, int type) throws IOException {
    return query(name, type, DClass.IN);
  }

  static Message query(String name, int type, int dclass) throws IOException {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    m.getHeader().unsetFlag(Flags.RD);
    return m;
  }

  static Message withEdns(Message m, int payload, int flags, EDNSOption... options) {
    m.addRecord(new OPTRecord(payload, 0, 0, flags, List.of(options)), Section.ADDITIONAL);
    return m;
  }

  private byte[] respondBytes(byte[] query, boolean tcp) {
    int n = responder.respond(query, query.length, out, tcp);
    return n < 0 ? null : Arrays.copyOf(out, n);
  }

  private Message ask(Message query) throws IOException {
    return ask(query, false);
  }

  private Message ask(Message query, boolean tcp) throws IOException {
    byte[] r = respondBytes(query.toWire(), tcp);
    assertThat(r).as("a response").isNotNull();
    Message m = new Message(r);
    assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    return m;
  }

  private static List<String> section(Message m, int section) {
    return m.getSection(section).stream().map(ResponderTest::text).sorted().toList();
  }

  static String text(Record r) {
    return r.toString().replaceAll("\\s+", " ");
  }

  @Test
  void answersAreAuthoritativeWithTheWholeRrset() throws Exception {
    Message r = ask(query("www.example.com.", Type.A));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(section(r, Section.ANSWER)).containsExactly(
        "www.example.com. 3600 IN A 192.0.2.10", "www.example.com. 3600 IN A 192.0.2.11");
    assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
    assertThat(stats.get(Stat.NOERROR)).isEqualTo(1);
  }

  @Test
  void nxdomainCarriesTheSoaWithTheNegativeTtl() throws Exception {
    Message r = ask(query("nope.example.com.", Type.A));
    assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    SOARecord soa = (SOARecord) r.getSection(Section.AUTHORITY).getFirst();
    assertThat(soa.getName()).isEqualTo(Name.fromString("example.com."));
    assertThat(soa.getTTL()).as("min(SOA TTL 3600, MINIMUM 300)").isEqualTo(300);
    assertThat(soa.getSerial()).isEqualTo(2026010101L);
    assertThat(soa.getHost()).isEqualTo(Name.fromString("ns1.example.com."));
    assertThat(stats.get(Stat.NXDOMAIN)).isEqualTo(1);
  }

  @Test
  void nodataIsNoerrorWithTheSoa() throws Exception {
    Message r = ask(query("www.example.com.", Type.MX));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class)
        .extracting(Record::getTTL).isEqualTo(300L);
  }

  @Test
  void emptyNonTerminalsAnswerNoerror() throws Exception {
    for (String name : List.of("b.c.example.com.", "c.example.com.", "_udp.example.com.")) {
      Message r = ask(query(name, Type.A));
      assertThat(r.getRcode()).as(name).isEqualTo(Rcode.NOERROR);
      assertThat(r.getSection(Section.AUTHORITY)).as(name).singleElement().isInstanceOf(SOARecord.class);
    }
    assertThat(ask(query("x.b.c.example.com.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void namesOutsideTheZonesAreRefused() throws Exception {
    for (String name : List.of("example.org.", "com.", ".", "www.example.co.")) {
      Message r = ask(query(name, Type.A));
      assertThat(r.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
      assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
      assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }
    assertThat(stats.get(Stat.REFUSED)).isEqualTo(4);
  }

  @Test
  void unknownOpcodesGetNotimpWithRdCleared() throws Exception {
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, 3, Opcode.NOTIFY, Opcode.UPDATE, 15}) {
      Message q = query("www.example.com.", Type.A);
      q.getHeader().setOpcode(opcode);
      q.getHeader().setFlag(Flags.RD);
      Message r = ask(q);
      assertThat(r.getRcode()).as("opcode " + opcode).isEqualTo(Rcode.NOTIMP);
      assertThat(r.getHeader().getOpcode()).isEqualTo(opcode);
      assertThat(r.getHeader().getFlag(Flags.RD)).isFalse();
      assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    }
    assertThat(stats.get(Stat.NOTIMP)).isEqualTo(6);
  }

  @Test
  void zoneTransfersAreNotImplemented() throws Exception {
    assertThat(ask(query("example.com.", Type.AXFR), true).getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(ask(query("example.com.", Type.IXFR)).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void recursionDesiredIsCopiedOnAnswers() throws Exception {
    Message q = query("www.example.com.", Type.A);
    q.getHeader().setFlag(Flags.RD);
    assertThat(ask(q).getHeader().getFlag(Flags.RD)).isTrue();
  }

  @Test
  void aQuestionCountOtherThanOneIsFormerrWithTheId() throws Exception {
    byte[] two = query("www.example.com.", Type.A).toWire();
    byte[] q = Arrays.copyOf(two, two.length + two.length - 12);
    System.arraycopy(two, 12, q, two.length, two.length - 12);
    q[5] = 2;
    Message r = new Message(respondBytes(q, false));
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getHeader().getID()).isEqualTo(((two[0] & 0xFF) << 8) | (two[1] & 0xFF));
    assertThat(r.getQuestion().getName()).isEqualTo(Name.fromString("www.example.com."));

    Header h = new Header(0x4242);
    Message none = new Message(respondBytes(h.toWire(), false));
    assertThat(none.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(none.getHeader().getID()).isEqualTo(0x4242);
    assertThat(none.getHeader().getCount(Section.QUESTION)).isZero();
    assertThat(stats.get(Stat.FORMERR)).isEqualTo(2);
  }

  @Test
  void recordsInTheAnswerOrAuthoritySectionOfAQueryAreFormerr() throws Exception {
    Message q = query("www.example.com.", Type.A);
    q.addRecord(new TXTRecord(Name.fromString("x.example.com."), DClass.IN, 1, "x"), Section.ANSWER);
    assertThat(ask(q).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void responsesAreDroppedAndCounted() throws Exception {
    Message q = query("www.example.com.", Type.A);
    q.getHeader().setFlag(Flags.QR);
    assertThat(respondBytes(q.toWire(), false)).isNull();
    assertThat(stats.get(Stat.DROPPED_RESPONSE)).isEqualTo(1);
  }

  @Test
  void theQuestionIsEchoedByteForByteKeeping0x20Case() throws Exception {
    Message q = query("WwW.ExAmPlE.cOm.", Type.A);
    byte[] wire = q.toWire();
    byte[] r = respondBytes(wire, false);
    int questionEnd = 12 + Name.fromString("www.example.com.").length() + 4;
    assertThat(Arrays.copyOfRange(r, 12, questionEnd)).isEqualTo(Arrays.copyOfRange(wire, 12, questionEnd));
    Message m = new Message(r);
    assertThat(m.getSection(Section.ANSWER)).hasSize(2);
    assertThat(m.getSection(Section.ANSWER).getFirst().getName().toString()).isEqualTo("WwW.ExAmPlE.cOm.");
  }

  @Test
  void namesAreCompressed() throws Exception {
    byte[] r = respondBytes(query("www.example.com.", Type.A).toWire(), false);
    // 12 header + 21 question + 2 × (2 pointer + 10 + 4 address)
    assertThat(r).hasSize(12 + 21 + 2 * 16);
    byte[] soa = respondBytes(query("nope.example.com.", Type.A).toWire(), false);
    // owner: pointer into the question; ns1 + pointer; hostmaster + pointer; 20 bytes of numbers
    assertThat(soa).hasSize(12 + 22 + 2 + 10 + (4 + 2) + (11 + 2) + 20);
  }

  @Test
  void cnameInsideTheZoneIsFollowed() throws Exception {
    Message r = ask(query("alias2.example.com.", Type.A));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.getSection(Section.ANSWER)).extracting(ResponderTest::text).containsExactly(
        "alias2.example.com. 3600 IN CNAME alias.example.com.",
        "alias.example.com. 3600 IN CNAME www.example.com.",
        "www.example.com. 3600 IN A 192.0.2.10",
        "www.example.com. 3600 IN A 192.0.2.11");
  }

  @Test
  void aCnameChainEndingInNodataCarriesTheSoa() throws Exception {
    Message r = ask(query("alias.example.com.", Type.MX));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aCnameToAMissingNameIsNxdomainWithTheCname() throws Exception {
    Message r = ask(query("dangling.example.com.", Type.A));
    assertThat(r.getRcode()).as("RFC 6604").isEqualTo(Rcode.NXDOMAIN);
    assertThat(r.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aCnameOutOfTheZoneIsAnsweredAlone() throws Exception {
    Message r = ask(query("ext.example.com.", Type.A));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
    assertThat(section(ask(query("alias.example.com.", Type.CNAME)), Section.ANSWER))
        .containsExactly("alias.example.com. 3600 IN CNAME www.example.com.");
  }

  @Test
  void delegationsAreReferralsWithGlueAndAaClear() throws Exception {
    for (String name : List.of("sub.example.com.", "x.sub.example.com.", "ns.sub.example.com.")) {
      Message r = ask(query(name, Type.A));
      assertThat(r.getRcode()).as(name).isEqualTo(Rcode.NOERROR);
      assertThat(r.getHeader().getFlag(Flags.AA)).as(name).isFalse();
      assertThat(r.getSection(Section.ANSWER)).as(name).isEmpty();
      assertThat(section(r, Section.AUTHORITY)).as(name).containsExactly(
          "sub.example.com. 3600 IN NS ns.sub.example.com.", "sub.example.com. 3600 IN NS ns1.example.com.");
      assertThat(section(r, Section.ADDITIONAL)).as(name).containsExactly(
          "ns.sub.example.com. 3600 IN A 192.0.2.53", "ns.sub.example.com. 3600 IN AAAA 2001:db8:0:0:0:0:0:53");
    }
  }

  @Test
  void wildcardsSynthesizeTheQueriedName() throws Exception {
    Message r = ask(query("Foo.wild.example.com.", Type.A));
    assertThat(section(r, Section.ANSWER)).containsExactly("Foo.wild.example.com. 3600 IN A 192.0.2.99");
    assertThat(ask(query("a.b.wild.example.com.", Type.TXT)).getSection(Section.ANSWER)).hasSize(1);
    assertThat(ask(query("foo.wild.example.com.", Type.MX)).getSection(Section.AUTHORITY)).hasSize(1);
    assertThat(ask(query("wild.example.com.", Type.A)).getRcode()).as("the parent is an ENT").isEqualTo(Rcode.NOERROR);
  }

  @Test
  void anyGetsTheMinimalRfc8482Answer() throws Exception {
    Message r = ask(query("www.example.com.", Type.ANY));
    assertThat(section(r, Section.ANSWER)).containsExactly("www.example.com. 3600 IN HINFO \"RFC8482\" \"\"");
    assertThat(section(ask(query("alias.example.com.", Type.ANY)), Section.ANSWER))
        .containsExactly("alias.example.com. 3600 IN CNAME www.example.com.");
    assertThat(ask(query("nope.example.com.", Type.ANY)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void chaosIdAndVersionAreTxtOfClassCh() throws Exception {
    Message id = ask(query("id.server.", Type.TXT, DClass.CH));
    assertThat(id.getRcode()).isEqualTo(Rcode.NOERROR);
    TXTRecord txt = (TXTRecord) id.getSection(Section.ANSWER).getFirst();
    assertThat(txt.getDClass()).isEqualTo(DClass.CH);
    assertThat(txt.getStrings()).containsExactly("dns-test-1");
    assertThat(((TXTRecord) ask(query("VERSION.server.", Type.TXT, DClass.CH)).getSection(Section.ANSWER).getFirst())
        .getStrings()).containsExactly("dns-tier test");
    assertThat(ask(query("hostname.bind.", Type.TXT, DClass.CH)).getSection(Section.ANSWER)).hasSize(1);
    assertThat(ask(query("other.server.", Type.TXT, DClass.CH)).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(query("id.server.", Type.A, DClass.CH)).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(query("www.example.com.", Type.A, DClass.HS)).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void ednsIsAnsweredWithOneOptOfPayload1232AndTheDoBitCopied() throws Exception {
    Message r = ask(withEdns(query("www.example.com.", Type.A), 4096, 0x8000));
    OPTRecord opt = r.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(1232);
    assertThat(opt.getVersion()).isZero();
    assertThat(opt.getFlags() & 0x8000).isEqualTo(0x8000);
    assertThat(r.getSection(Section.ADDITIONAL)).hasSize(1);
    assertThat(ask(query("www.example.com.", Type.A)).getOPT()).as("no OPT without EDNS").isNull();
    assertThat(stats.get(Stat.EDNS)).isEqualTo(1);
    assertThat(stats.get(Stat.EDNS_DO)).isEqualTo(1);
  }

  @Test
  void ednsVersionOtherThanZeroIsBadvers() throws Exception {
    Message q = query("www.example.com.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message r = ask(q);
    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(r.getHeader().getRcode()).isZero();
    assertThat(r.getOPT().getExtendedRcode()).isEqualTo(1);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(stats.get(Stat.BADVERS)).isEqualTo(1);
  }

  @Test
  void twoOptRecordsAreFormerr() throws Exception {
    Message q = withEdns(withEdns(query("www.example.com.", Type.A), 1232, 0), 1232, 0);
    assertThat(ask(q).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void unknownEdnsOptionsAreIgnoredAndNotEchoed() throws Exception {
    Message r = ask(withEdns(query("www.example.com.", Type.A), 1232, 0,
        new GenericEDNSOption(65001, new byte[] {1, 2, 3}), new GenericEDNSOption(10, new byte[8])));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getOPT().getOptions()).isEmpty();
  }

  @Test
  void nsidIsSentWhenAsked() throws Exception {
    Message r = ask(withEdns(query("www.example.com.", Type.A), 1232, 0, new NSIDOption(new byte[0])));
    assertThat(r.getOPT().getOptions(EDNSOption.Code.NSID)).singleElement()
        .extracting(o -> new String(Arrays.copyOfRange(o.toWire(), 4, o.toWire().length)))
        .isEqualTo("dns-test-1");
    assertThat(ask(withEdns(query("www.example.com.", Type.A), 1232, 0)).getOPT().getOptions()).isEmpty();
  }

  @Test
  void aUdpAnswerThatDoesNotFitIsTruncated() throws Exception {
    Message plain = ask(query("big.example.com.", Type.TXT));
    assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(plain.getSection(Section.ANSWER)).isEmpty();
    assertThat(plain.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(stats.get(Stat.UDP_TC)).isEqualTo(1);

    Message small = ask(withEdns(query("big.example.com.", Type.TXT), 100, 0));
    assertThat(small.getHeader().getFlag(Flags.TC)).as("payload below 512 counts as 512").isTrue();

    Message edns = ask(withEdns(query("big.example.com.", Type.TXT), 1232, 0));
    assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(edns.getSection(Section.ANSWER)).hasSize(6);

    Message tcp = ask(query("big.example.com.", Type.TXT), true);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(6);
  }

  @Test
  void payloadsAboveTheMaximumAreCappedAt1232() throws Exception {
    // fourteen 100-byte TXT records: about 1.5 KB, more than 1232 and less than the 4096 the client offers
    Message r = ask(withEdns(query("huge.example.com.", Type.TXT), 4096, 0));
    assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    Message tcp = ask(withEdns(query("huge.example.com.", Type.TXT), 4096, 0), true);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(14);
  }

  @Test
  void otherClassAnyIsAnsweredAsIn() throws Exception {
    assertThat(ask(query("www.example.com.", Type.A, DClass.ANY)).getSection(Section.ANSWER)).hasSize(2);
  }
}
