package org.example.lb.dns.zone;

import org.xbill.DNS.Record;

/**
 * One record of a zone file, with the line it starts on (for messages about it).
 *
 * @param record the record as dnsjava parsed it (absolute owner, class IN, TTL resolved)
 * @param line its first line in the file
 */
public record ZoneRecord(Record record, int line) {}
