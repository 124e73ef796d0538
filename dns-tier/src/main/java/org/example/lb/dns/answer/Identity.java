package org.example.lb.dns.answer;

import java.util.Optional;

/**
 * How the server names itself: the NSID option (RFC 5001) and the CHAOS-class TXT answers to {@code id.server} /
 * {@code hostname.bind} and {@code version.server} / {@code version.bind} (RFC 4892 §2.2).
 *
 * @param nsid the NSID payload, sent when a query asks for it; none: the option is never sent
 * @param id the answer to {@code id.server}; none: REFUSED
 * @param version the answer to {@code version.server}; none: REFUSED
 */
public record Identity(Optional<String> nsid, Optional<String> id, Optional<String> version) {
  public Identity {
    nsid = nsid == null ? Optional.empty() : nsid;
    id = id == null ? Optional.empty() : id;
    version = version == null ? Optional.empty() : version;
  }

  public static Identity none() {
    return new Identity(Optional.empty(), Optional.empty(), Optional.empty());
  }
}
