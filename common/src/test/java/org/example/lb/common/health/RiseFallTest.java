package org.example.lb.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiseFallTest {
  /** Feeds results ('+' pass, '-' fail) and returns the state after each ('U' up, 'D' down), '*' marking changes. */
  private static String run(RiseFall rf, String results) {
    StringBuilder sb = new StringBuilder();
    for (char c : results.toCharArray()) {
      boolean changed = rf.record(c == '+');
      sb.append(rf.isUp() ? 'U' : 'D');
      if (changed) {
        sb.append('*');
      }
    }
    return sb.toString();
  }

  @Test
  void upGoesDownOnlyAfterFallConsecutiveFailures() {
    RiseFall rf = new RiseFall(2, 3, true);
    assertThat(run(rf, "--+--+---")).isEqualTo("UUUUUUUUD*");
  }

  @Test
  void downComesUpOnlyAfterRiseConsecutiveSuccesses() {
    RiseFall rf = new RiseFall(3, 1, false);
    assertThat(run(rf, "++-++-+++")).isEqualTo("DDDDDDDDU*");
  }

  @Test
  void startingDownLikeKeepalivedAlphaNeedsRiseSuccessesFirst() {
    RiseFall alpha = new RiseFall(2, 2, false);
    assertThat(alpha.isUp()).isFalse();
    assertThat(run(alpha, "++")).isEqualTo("DU*");
    RiseFall optimistic = new RiseFall(2, 2, true);
    assertThat(run(optimistic, "++")).isEqualTo("UU");
  }

  @Test
  void riseAndFallOfOneFollowEveryResult() {
    RiseFall rf = new RiseFall(1, 1, true);
    assertThat(run(rf, "-+-+")).isEqualTo("D*U*D*U*");
  }

  @Test
  void flappingNeverChangesTheStateWhileStreaksStayShort() {
    RiseFall rf = new RiseFall(2, 2, true);
    assertThat(run(rf, "-+-+-+-+")).isEqualTo("UUUUUUUU");
    assertThat(run(rf, "--")).isEqualTo("UD*");
    assertThat(run(rf, "+-+-+-")).isEqualTo("DDDDDD");
  }

  @Test
  void streakAndTextShowProgressTowardsTheOtherState() {
    RiseFall rf = new RiseFall(2, 3, true);
    List<String> texts = new ArrayList<>();
    for (boolean ok : new boolean[] {false, false, false, true}) {
      rf.record(ok);
      texts.add(rf + "/" + rf.streak());
    }
    assertThat(texts).containsExactly("up (1/3 failures)/1", "up (2/3 failures)/2", "down/0",
        "down (1/2 successes)/1");
  }

  @Test
  void riseAndFallAreValidated() {
    assertThatThrownBy(() -> new RiseFall(0, 1, true)).hasMessage("rise: 0 (expected: an integer 1-1000)");
    assertThatThrownBy(() -> new RiseFall(1, 1001, true)).hasMessage("fall: 1001 (expected: an integer 1-1000)");
  }
}
