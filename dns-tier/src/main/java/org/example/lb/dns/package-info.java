/**
 * dns-tier: the authoritative DNS server of tier 4. Packages: {@code wire} (the message format: query parsing,
 * precompiled response chunks), {@code zone} (master files), {@code answer} (the compiled answer table and the
 * responder), {@code server} (sockets, config, reload, status). See docs/dns.md.
 */
package org.example.lb.dns;
