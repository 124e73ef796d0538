package org.example.lb.dns.resource;

import static org.example.lb.common.config.Validation.invalid;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.example.lb.common.config.Validation;
import org.example.lb.dns.health.HealthState;

/**
 * A name's dynamic addresses, one entry of the {@code dynamic} mapping of the config: what gdnsd writes in a zone file
 * as {@code www 300/30 DYNA multifo!www} (gdnsd.zonefile(5), "DYNA"; dnsjava cannot read DYNA records, so names are
 * bound here).
 *
 * <pre>
 * dynamic:
 *   www.example.org: { resource: www, ttl: 300, minTtl: 30 }
 *   mail.example.org: mail              # shorthand: ttl 300, minTtl 150
 * </pre>
 *
 * @param resource the resource answering A and AAAA queries for the name
 * @param ttl the largest TTL of its answers (gdnsd's MAX), 1-268435455; default 300
 * @param minTtl the least (gdnsd's MIN), 0-{@code ttl}; default half of {@code ttl}. The TTL sent is the least time
 *     before a monitored state deciding the answer can change, clamped to [minTtl, ttl]
 */
public record Binding(String resource, long ttl, Long minTtl) {
  public static final long DEFAULT_TTL = 300;

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public Binding {
    Validation.nonBlank("resource", resource);
    ttl = ttl == 0 ? DEFAULT_TTL : ttl;
    if (ttl < 1 || ttl > HealthState.MAX_TTL) {
      throw invalid("ttl", ttl, "an integer 1-" + HealthState.MAX_TTL);
    }
    minTtl = minTtl == null ? ttl / 2 : minTtl;
    if (minTtl < 0 || minTtl > ttl) {
      throw invalid("minTtl", minTtl, "an integer 0-" + ttl + " (at most ttl)");
    }
  }

  /** The shorthand {@code name: resource}: default TTLs. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Binding of(String resource) {
    return new Binding(resource, 0, null);
  }

  /** {@code ttl} limited to [minTtl, ttl] (gdnsd's {@code do_dyn_callback}). */
  public long clamp(long monitored) {
    return Math.max(minTtl, Math.min(ttl, monitored));
  }
}
