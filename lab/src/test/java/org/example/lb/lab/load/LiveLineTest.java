package org.example.lb.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.example.lb.lab.load.LoadGenerator.KindCounts;
import org.example.lb.lab.load.LoadGenerator.Snapshot;
import org.junit.jupiter.api.Test;

class LiveLineTest {
  private static Map<FailureReason, Long> failed(long reset, long timeout) {
    Map<FailureReason, Long> m = new EnumMap<>(FailureReason.class);
    for (FailureReason r : FailureReason.values()) {
      m.put(r, 0L);
    }
    m.put(FailureReason.RESET, reset);
    m.put(FailureReason.TIMEOUT, timeout);
    return m;
  }

  @Test
  void showsTheLastSecondsSuccessesAndFailuresAndTheTotalsByReason() {
    Snapshot before = new Snapshot(0, 4000, 10, new KindCounts(20, 4, failed(0, 0), 0),
        new KindCounts(200, 190, failed(0, 0), 0));
    Snapshot now = new Snapshot(0, 5000, 12, new KindCounts(22, 5, failed(1, 0), 0),
        new KindCounts(240, 228, failed(0, 2), 0));
    assertThat(ClientsMain.LiveLine.format(before, now, false))
        .isEqualTo("    5s  ok   39/s  failed   3/s  in flight   12  |  total: 233 ok, 3 failed (reset 1, timeout 2)");
    assertThat(ClientsMain.LiveLine.format(now, now, true)).endsWith("— gave up waiting for 12");
    Snapshot idle = new Snapshot(0, 6000, 0, now.downloads(), now.requests());
    assertThat(ClientsMain.LiveLine.format(now, idle, true)).endsWith("— done");
  }
}
