package org.example.lb.dns;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.Identity;
import org.example.lb.dns.wire.WireName;
import org.example.lb.dns.zone.Zone;
import org.example.lb.dns.zone.ZoneException;
import org.example.lb.dns.zone.ZoneFile;

/** The test zones in src/test/resources/zones: example.com (every kind of answer) and example.net. */
public final class TestZones {
  public static final Identity IDENTITY =
      new Identity(Optional.of("dns-test-1"), Optional.of("dns-test-1"), Optional.of("dns-tier test"));

  private TestZones() {}

  public static Path file(String zone) {
    try {
      return Path.of(TestZones.class.getResource("/zones/" + zone).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Zone load(String zone) throws ZoneException {
    return ZoneFile.load(WireName.of(zone), file(zone));
  }

  public static AnswerTable table() throws ZoneException {
    return AnswerTable.build(List.of(load("example.com"), load("example.net")), IDENTITY);
  }
}
