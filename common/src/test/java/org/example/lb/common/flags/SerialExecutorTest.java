package org.example.lb.common.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  @Test
  void runsTasksOneAtATimeInOrderAndSurvivesAFailingTask() throws Exception {
    SerialExecutor serial = new SerialExecutor(Executors.newFixedThreadPool(4));
    List<Integer> seen = new ArrayList<>(); // deliberately unsynchronized: only the serial executor touches it
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    for (int i = 0; i < 2000; i++) {
      int n = i;
      serial.execute(() -> {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        seen.add(n);
        concurrent.decrementAndGet();
        if (n == 10) {
          throw new IllegalStateException("task 10 fails on purpose");
        }
      });
    }
    serial.execute(done::countDown);
    assertThat(done.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(maxConcurrent.get()).isEqualTo(1);
    assertThat(seen).hasSize(2000);
    for (int i = 0; i < 2000; i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }
}
