package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.runtime.StatRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maint} in a server's flag file goes through DRAIN first: established sessions (a slow 10 MB download
 * through HAProxy to nginx) finish intact, and MAINT follows when they are gone or at the drain deadline.
 *
 * <p>HAProxy's own agent check runs every 500 ms here and reads the same {@code maint}: had the controller not
 * disabled it during the drain, it would put the server straight into MAINT.
 */
class DrainWorkflowTest {
  private static final Duration AGENT_INTERVAL = Duration.ofMillis(500);
  private static final Duration SAMPLE_PERIOD = Duration.ofMillis(20);

  @TempDir Path dir;
  private LoopbackTier tier;

  @AfterEach
  void stop() {
    if (tier != null) {
      tier.close();
    }
  }

  /** One {@code show stat} line of s1: state and sessions seen together. */
  private record Sample(long nanos, String status, long sessions) {}

  @Test
  void maintDrainsFirstThenEntersMaintWhenSessionsEnd() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults()
        .withAgentInterval(AGENT_INTERVAL).withDrainTimeout(Duration.ofSeconds(60)).withDownloadRate("2m"));
    Future<RawHttp.Download> download = downloadFromS1();

    tier.writeServerFlag("s1", "maint #kernel upgrade\n");

    List<Sample> samples = sampleS1Until(download);
    RawHttp.Download d = download.get();
    assertIntact(d);
    List<Sample> withSession = samples.stream().filter(s -> s.sessions() > 0).toList();
    assertThat(withSession).as("samples of s1 while its download was in HAProxy").isNotEmpty();
    assertThat(withSession).as("s1 never enters MAINT while it has a session")
        .noneSatisfy(s -> assertThat(s.status()).startsWith("MAINT"));
    assertThat(withSession.stream().filter(s -> s.status().startsWith("DRAIN")).count())
        .as("samples of s1 in DRAIN with its download still running (the controller pushed DRAIN early)")
        .isGreaterThan(10);

    Poll.until(Duration.ofSeconds(3), "s1 MAINT once its last session ended",
        () -> tier.admin("s1") == ServerAdminState.MAINT);
    Poll.until(Duration.ofSeconds(3), "s1's agent check enabled again after the drain",
        () -> tier.state("s1").agentState().enabled());
    assertThat(tier.admin("s2")).isEqualTo(ServerAdminState.DRAIN);
  }

  @Test
  void maintEntersMaintAtTheDeadlineWithSessionsLeft() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults()
        .withAgentInterval(AGENT_INTERVAL).withDrainTimeout(Duration.ofSeconds(1)).withDownloadRate("1m"));
    Future<RawHttp.Download> download = downloadFromS1();

    long written = System.nanoTime();
    tier.writeServerFlag("s1", "maint\n");

    List<Sample> samples = sampleS1Until(download);
    assertIntact(download.get());
    assertThat(samples).as("s1 drains first").anySatisfy(s -> {
      assertThat(s.status()).startsWith("DRAIN");
      assertThat(s.sessions()).isPositive();
    });
    Sample firstMaint = samples.stream().filter(s -> s.status().startsWith("MAINT")).findFirst()
        .orElseThrow(() -> new AssertionError("s1 never entered MAINT during its download: " + samples));
    assertThat(firstMaint.sessions()).as("sessions left when the deadline put s1 in MAINT").isPositive();
    assertThat(Duration.ofNanos(firstMaint.nanos() - written)).as("MAINT at the 1 s drain deadline, not before")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(tier.admin("s1")).isEqualTo(ServerAdminState.MAINT);
  }

  /** Drains s2 (so s1 gets the download), starts a slow /10M download and waits until HAProxy counts it on s1. */
  private Future<RawHttp.Download> downloadFromS1() throws Exception {
    tier.writeServerFlag("s2", "drain\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s2 DRAIN", () -> tier.admin("s2") == ServerAdminState.DRAIN);
    CompletableFuture<String> started = new CompletableFuture<>();
    CompletableFuture<RawHttp.Download> download = RawHttp.downloadInBackground(tier.frontendPort(), "/10M", started);
    assertThat(started.get(10, TimeUnit.SECONDS)).as("server of the download").isEqualTo("s1");
    Poll.until(Duration.ofSeconds(5), "HAProxy counts the download on s1", () -> tier.sessions("s1") >= 1);
    return download;
  }

  private List<Sample> sampleS1Until(Future<RawHttp.Download> download) {
    List<Sample> samples = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!download.isDone() && System.nanoTime() < deadline) {
      try {
        StatRow row = tier.stat("s1");
        samples.add(new Sample(System.nanoTime(), row.status(), row.scur().orElse(0)));
      } catch (RuntimeApiException e) {
        // HAProxy busy: the next sample will do
      }
      LockSupport.parkNanos(SAMPLE_PERIOD.toNanos()); // the sampling period, not a wait for a condition
    }
    return samples;
  }

  private void assertIntact(RawHttp.Download d) {
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.server()).isEqualTo("s1");
    assertThat(d.bytes()).isEqualTo(LoopbackTier.TEN_MEGABYTES).isEqualTo(d.contentLength());
    assertThat(d.sha256()).isEqualTo(tier.tenMegabytesSha256());
  }
}
