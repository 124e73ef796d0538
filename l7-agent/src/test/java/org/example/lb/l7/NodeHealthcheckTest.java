package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frontend's {@code /healthcheck}, which the L4 directors poll: 503 while the node is in maintenance (its own
 * flag file, pushed at once by the controller; HAProxy's agent check of the node runs only every 10 s here) or
 * while no server is usable; 200 otherwise. Normal traffic is not affected by node maintenance.
 */
class NodeHealthcheckTest {
  @TempDir Path dir;
  private LoopbackTier tier;

  @BeforeEach
  void start() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withServers(3)
        .withAgentInterval(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    if (tier != null) {
      tier.close();
    }
  }

  @Test
  void nodeMaintenanceMakesHealthcheck503AtOnce() throws IOException {
    for (String[] change : new String[][] {{"maint", "ready"}, {"drain", "ready"}, {"down", "up"}}) {
      tier.writeNodeFlag(change[0] + "\n");
      awaitHealthcheck(503, "maintenance\n", "node flag " + change[0]);
      RawHttp.Response page = tier.get("/");
      assertThat(page.status()).as("traffic still served while the node is in " + change[0]).isEqualTo(200);

      tier.writeNodeFlag(change[1] + "\n");
      awaitHealthcheck(200, "ok\n", "node flag " + change[1] + " after " + change[0]);
    }
  }

  @Test
  void noUsableServerMakesHealthcheck503() throws IOException {
    tier.writeServerFlag("s1", "down\n");
    tier.writeServerFlag("s2", "drain\n");
    awaitHealthcheck(200, "ok\n", "s3 still usable");

    tier.server("s3").nginx.close(); // a real failure: HAProxy's health check (1 s, fall 3) marks s3 DOWN
    awaitHealthcheck(503, "no usable server\n", "s1 down, s2 draining, s3's nginx stopped");
    assertThat(tier.get("/").status()).as("a request with no usable server").isEqualTo(503);

    tier.writeServerFlag("s1", "up\n");
    awaitHealthcheck(200, "ok\n", "s1 up again");
    assertThat(tier.get("/").text()).isEqualTo("s1\n");
  }

  private void awaitHealthcheck(int status, String body, String after) {
    RawHttp.Response[] last = {null};
    try {
      Poll.until(after.contains("nginx") ? Duration.ofSeconds(10) : StatePushTest.PUSH_DEADLINE,
          "/healthcheck " + status + " after " + after, () -> {
            try {
              last[0] = tier.get("/healthcheck");
              return last[0].status() == status;
            } catch (IOException e) {
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last " + (last[0] == null ? null : last[0].status() + " "
          + last[0].text()) + "\n" + tier.describe(), e);
    }
    assertThat(last[0].text()).isEqualTo(body);
  }
}
