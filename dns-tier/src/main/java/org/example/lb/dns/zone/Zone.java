package org.example.lb.dns.zone;

import java.nio.file.Path;
import java.util.List;
import org.example.lb.dns.wire.WireName;
import org.xbill.DNS.SOARecord;

/**
 * A zone as read from its master file: checked, not yet compiled into answers.
 *
 * @param origin the apex
 * @param file where it was read from
 * @param records every record, in file order (the SOA among them)
 */
public record Zone(WireName origin, Path file, List<ZoneRecord> records) {
  public Zone {
    records = List.copyOf(records);
  }

  /** The apex SOA (a loaded zone has exactly one). */
  public SOARecord soa() {
    return records.stream().map(ZoneRecord::record).filter(r -> r instanceof SOARecord)
        .map(r -> (SOARecord) r).findFirst().orElseThrow();
  }

  public long serial() {
    return soa().getSerial();
  }

  /**
   * The TTL of negative answers, RFC 2308 §5: the SOA record's TTL or its MINIMUM field, whichever is lower.
   */
  public long negativeTtl() {
    SOARecord soa = soa();
    return Math.min(soa.getTTL(), soa.getMinimum());
  }
}
