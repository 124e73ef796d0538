package org.example.lb.l4.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.example.lb.l4.forward.BackendState;
import org.junit.jupiter.api.Test;

class QuorumTest {
  /** Feeds live weights and returns the state after each ('U'/'D'), '*' marking changes. */
  private static String run(Quorum q, long... weights) {
    StringBuilder sb = new StringBuilder();
    for (long w : weights) {
      boolean changed = q.update(w);
      sb.append(q.isUp() ? 'U' : 'D').append(changed ? "*" : "").append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void withoutHysteresisUpExactlyWhileLiveWeightReachesQuorum() {
    Quorum q = Quorum.startingAt(200, 0, 300);
    assertThat(q.isUp()).isTrue();
    assertThat(run(q, 200, 199, 200, 0, 1000)).isEqualTo("U D* U* D* U*");
  }

  @Test
  void hysteresisBandHoldsTheStateInBothDirections() {
    Quorum q = Quorum.startingAt(200, 50, 300); // down below 150, up from 250
    assertThat(run(q, 200, 150, 149)).isEqualTo("U U D*");
    assertThat(run(q, 150, 200, 249, 250)).isEqualTo("D D D U*");
    assertThat(run(q, 249, 150, 200, 149)).isEqualTo("U U U D*");
  }

  @Test
  void startingDownWaitsForQuorumPlusHysteresis() {
    Quorum q = Quorum.startingDown(2, 1);
    assertThat(q.isUp()).isFalse();
    assertThat(run(q, 2, 3, 2, 1, 0)).isEqualTo("D U* U U D*");
  }

  @Test
  void startingAtAWeightIgnoresHysteresisBecauseThereIsNoPreviousState() {
    assertThat(Quorum.startingAt(200, 50, 200).isUp()).isTrue();
    assertThat(Quorum.startingAt(200, 50, 199).isUp()).isFalse();
  }

  @Test
  void quorumZeroIsAlwaysUpEvenStartingDown() {
    Quorum q = Quorum.startingDown(0, 0);
    assertThat(q.isUp()).isTrue();
    assertThat(run(q, 0, 5, 0)).isEqualTo("U U U");
  }

  @Test
  void noLiveWeightIsAlwaysDownWhenThereIsAQuorum() {
    Quorum q = Quorum.startingAt(1, 0, 100);
    assertThat(run(q, 0)).isEqualTo("D*");
    assertThatThrownBy(() -> Quorum.startingAt(100, 100, 0))
        .hasMessage("hysteresis: 100 (expected: an integer 0-99)");
    assertThatThrownBy(() -> Quorum.startingAt(0, 1, 0)).hasMessage("hysteresis: 1 (expected: an integer 0-0)");
    assertThatThrownBy(() -> Quorum.startingDown(-1, 0)).hasMessageStartingWith("quorum: -1 (expected:");
  }

  @Test
  void liveWeightCountsOnlyUpBackendsWithTheirCurrentWeights() {
    Map<String, BackendState> states = Map.of("a", BackendState.UP, "b", BackendState.DRAINING,
        "c", BackendState.DOWN, "d", BackendState.UP, "e", BackendState.UP);
    Map<String, Integer> weights = new HashMap<>(Map.of("a", 100, "b", 100, "c", 100, "d", 50));
    assertThat(Quorum.liveWeight(states, weights)).as("e has no weight: counts 0").isEqualTo(150);

    Quorum q = Quorum.startingAt(150, 0, Quorum.liveWeight(states, weights));
    assertThat(q.isUp()).isTrue();
    weights.put("a", 0); // drained by configuration on a reload
    assertThat(q.update(Quorum.liveWeight(states, weights))).isTrue();
    assertThat(q).hasToString("down (live weight 50, quorum 150)");
    weights.put("d", 65535);
    assertThat(q.update(Quorum.liveWeight(states, weights))).isTrue();
    assertThat(q.isUp()).isTrue();
  }

  @Test
  void describesItself() {
    assertThat(Quorum.startingAt(200, 50, 300)).hasToString("up (live weight 300, quorum 200 ± 50)");
  }
}
