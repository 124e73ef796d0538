package org.example.lb.lab.load;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.load.LoadGenerator.KindCounts;
import org.example.lb.lab.load.LoadGenerator.Snapshot;

/**
 * The end of a load run, as {@code bin/lab clients} prints it in JSON: started, completed, failed by reason, the
 * same per kind, and the failed connections themselves (at most {@link #FAILURES_KEPT}).
 *
 * @param counts      the final counts
 * @param unfinished  connections still in flight when the run gave up waiting for them
 * @param failures    the failed connections, oldest first
 */
public record LoadSummary(Snapshot counts, long unfinished, List<ConnectionResult> failures) {
  public static final int FAILURES_KEPT = 1000;

  public LoadSummary {
    failures = List.copyOf(failures);
  }

  /** The JSON tree: plain maps, lists and numbers. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("startedAt", Instant.ofEpochMilli(counts.startedAt()).toString());
    json.put("seconds", (counts.at() - counts.startedAt()) / 1000.0);
    json.put("started", counts.started());
    json.put("completed", counts.completed());
    json.put("failed", counts.failed());
    json.put("unfinished", unfinished);
    json.put("failedBy", byReason(counts.failedByReason()));
    json.put("downloads", kind(counts.downloads()));
    json.put("requests", kind(counts.requests()));
    json.put("failures", failures.stream().map(LoadSummary::connection).toList());
    return json;
  }

  private static Map<String, Object> kind(KindCounts k) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("started", k.started());
    json.put("completed", k.completed());
    json.put("failed", k.failedTotal());
    json.put("failedBy", byReason(k.failed()));
    json.put("bytes", k.bytes());
    return json;
  }

  private static Map<String, Object> byReason(Map<FailureReason, Long> failed) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (FailureReason r : FailureReason.values()) {
      json.put(r.key(), failed.getOrDefault(r, 0L));
    }
    return json;
  }

  /** Reads back what {@link #connection} wrote. */
  public static ConnectionResult connection(com.fasterxml.jackson.databind.JsonNode j) {
    java.util.Optional<String> servedBy = j.path("servedBy").isTextual()
        ? java.util.Optional.of(j.path("servedBy").asText()) : java.util.Optional.empty();
    java.util.Optional<FailureReason> failure = j.path("failure").isTextual()
        ? java.util.Optional.of(FailureReason.valueOf(j.path("failure").asText().toUpperCase(java.util.Locale.ROOT)))
        : java.util.Optional.empty();
    return new ConnectionResult(j.path("id").asLong(),
        ConnectionResult.Kind.valueOf(j.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        j.path("source").asText(), j.path("target").asText(), j.path("startedMs").asLong(), j.path("endedMs").asLong(),
        servedBy, failure, j.path("detail").asText(), j.path("bytes").asLong());
  }

  /** One connection as JSON (also the lines of {@code --connections}). */
  public static Map<String, Object> connection(ConnectionResult c) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", c.id());
    json.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
    json.put("source", c.source());
    json.put("target", c.target());
    json.put("startedMs", c.startedMs());
    json.put("endedMs", c.endedMs());
    json.put("servedBy", c.servedBy().orElse(null));
    json.put("failure", c.failure().map(FailureReason::key).orElse(null));
    json.put("detail", c.detail());
    json.put("bytes", c.bytes());
    return json;
  }
}
