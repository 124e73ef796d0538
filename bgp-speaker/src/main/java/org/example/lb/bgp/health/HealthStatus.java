package org.example.lb.bgp.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.example.lb.common.health.ProbeResult;

/**
 * A snapshot of a {@link HealthCheck}, for {@code /status} and logs.
 *
 * @param state the current state
 * @param since when it entered {@code state} (the check's clock)
 * @param checks rounds counted towards {@code rise} (RISING) or {@code fall} (FALLING); 0 in other states
 * @param consecutivePasses checks passed in a row, up to the last one (0 if it failed)
 * @param consecutiveFailures checks failed in a row, up to the last one (0 if it passed)
 * @param lastResult the last check's result and reason; empty before the first finished
 * @param checksRun checks finished (or abandoned at the timeout) so far; rounds with the disable file present run none
 * @param advertisement what is in force
 * @param nextRoundIn the pause scheduled after the last round (the interval or the fast one; zero in EXIT)
 */
public record HealthStatus(HealthState state, Instant since, int checks, int consecutivePasses,
    int consecutiveFailures, Optional<ProbeResult> lastResult, long checksRun, Advertisement advertisement,
    Duration nextRoundIn) {}
