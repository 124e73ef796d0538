package org.example.lb.dns.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** gdnsd's anti-flap thresholds and the TTLs they imply (gdnsd.config(5) "SERVICE_TYPES"; mon.c). */
class AntiFlapTest {
  private static AntiFlap flap(int up, int ok, int down, long intervalSeconds) {
    return new AntiFlap(up, ok, down, Duration.ofSeconds(intervalSeconds));
  }

  @Test
  void theFirstResultSetsTheStateWithTheTimeToChangeAsTtl() {
    // what gdnsd 3.8.1 logged for interval 2, up_thresh 3, down_thresh 2: "initialized to UP/4" and "DOWN/6"
    assertThat(flap(3, 2, 2, 2).record(true)).isEqualTo(HealthState.up(4));
    assertThat(flap(3, 2, 2, 2).record(false)).isEqualTo(HealthState.down(6));
    assertThat(flap(20, 10, 10, 10).state()).as("before any result").isEqualTo(HealthState.UP);
  }

  @Test
  void isolatedFailuresAccumulateUntilOkThreshSuccessesInARowClearThem() {
    AntiFlap f = flap(3, 2, 3, 10);
    f.record(true);
    assertThat(f.record(false)).isEqualTo(HealthState.up(20));
    assertThat(f.record(true)).isEqualTo(HealthState.up(20)); // one success: not okThresh in a row
    assertThat(f.record(false)).isEqualTo(HealthState.up(10));
    assertThat(f.record(true)).isEqualTo(HealthState.up(10));
    assertThat(f.record(false)).as("third failure, never two successes in a row between").isEqualTo(
        HealthState.down(30));

    AntiFlap g = flap(3, 2, 3, 10);
    g.record(true);
    g.record(false);
    g.record(false);
    g.record(true);
    assertThat(g.record(true)).as("okThresh successes in a row clear the count").isEqualTo(HealthState.up(30));
    assertThat(g.record(false)).isEqualTo(HealthState.up(20));
    assertThat(g.failures()).isEqualTo(1);
  }

  @Test
  void downNeedsUpThreshSuccessesInARowAndAFailureRestartsTheCount() {
    AntiFlap f = flap(3, 2, 1, 5);
    assertThat(f.record(false)).isEqualTo(HealthState.down(15));
    assertThat(f.record(true)).isEqualTo(HealthState.down(10));
    assertThat(f.record(true)).isEqualTo(HealthState.down(5));
    assertThat(f.record(false)).isEqualTo(HealthState.down(15));
    f.record(true);
    f.record(true);
    assertThat(f.record(true)).isEqualTo(HealthState.up(5));
    assertThat(f.toString()).isEqualTo("UP/5");
  }

  @Test
  void subSecondIntervalsRoundTheTtlUp() {
    AntiFlap f = new AntiFlap(3, 1, 3, Duration.ofMillis(500));
    assertThat(f.record(true)).isEqualTo(HealthState.up(2)); // 1.5 s
    assertThat(new AntiFlap(65535, 1, 65535, Duration.ofHours(2)).record(true).ttl()).isEqualTo(
        HealthState.MAX_TTL);
  }
}
