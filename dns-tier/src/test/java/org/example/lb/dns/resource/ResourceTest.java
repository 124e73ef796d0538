package org.example.lb.dns.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.example.lb.dns.health.HealthState;
import org.junit.jupiter.api.Test;

/** gdnsd's multifo, simplefo and weighted rules, from health snapshots to selections (no sockets). */
class ResourceTest {
  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<InetAddress> ips(String... literals) {
    return java.util.Arrays.stream(literals).map(ResourceTest::ip).toList();
  }

  static ResourceConfig multifo(double upThresh, String... addresses) {
    return org.example.lb.dns.TestResources.multifo(upThresh, addresses);
  }

  @Test
  void multifoAnswersEveryAddressNotDownAndAllOfThemUnderUpThresh() {
    Resource www = Resource.of("www", multifo(0.5, "192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1"));
    Snapshots h = new Snapshots().set("192.0.2.1/up", HealthState.up(100)).set("192.0.2.2/up", HealthState.up(80))
        .set("192.0.2.3/up", HealthState.up(90)).set("2001:db8::1/up", HealthState.up(300));
    Selection all = www.select(h.snapshot());
    assertThat(all.state()).isEqualTo(ResourceState.UP);
    assertThat(all.health()).as("the least TTL of both families").isEqualTo(HealthState.up(80));
    assertThat(all.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.1", "192.0.2.2", "192.0.2.3")));
    assertThat(all.v6()).isEqualTo(new Choice.Listed(ips("2001:db8::1")));

    h.set("192.0.2.2/up", HealthState.down(40));
    Selection two = www.select(h.snapshot());
    assertThat(two.state()).isEqualTo(ResourceState.DEGRADED);
    assertThat(two.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.1", "192.0.2.3")));
    assertThat(two.health()).isEqualTo(HealthState.up(40));

    h.set("192.0.2.3/up", HealthState.down(60));
    Selection fallback = www.select(h.snapshot());
    assertThat(fallback.state()).as("1 of 3 is under ceil(0.5 × 3) = 2").isEqualTo(ResourceState.DOWN);
    assertThat(fallback.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.1", "192.0.2.2", "192.0.2.3")));
    assertThat(fallback.health()).isEqualTo(HealthState.down(40));
    assertThat(fallback.v6()).as("each family on its own").isEqualTo(new Choice.Listed(ips("2001:db8::1")));

    h.set("192.0.2.1/up", HealthState.down(10));
    assertThat(www.select(h.snapshot()).v4()).as("all DOWN: all").isEqualTo(
        new Choice.Listed(ips("192.0.2.1", "192.0.2.2", "192.0.2.3")));
  }

  @Test
  void multifosThresholdIsTheTableOfItsManPage() {
    // gdnsd-plugin-multifo(8), "UP THRESH": non-down needed out of 1 2 3 4 5 6 7 8 16, per threshold
    Map<Double, int[]> table = new LinkedHashMap<>();
    table.put(0.1, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 2});
    table.put(0.2, new int[] {1, 1, 1, 1, 1, 2, 2, 2, 4});
    table.put(0.3, new int[] {1, 1, 1, 2, 2, 2, 3, 3, 5});
    table.put(0.4, new int[] {1, 1, 2, 2, 2, 3, 3, 4, 7});
    table.put(0.5, new int[] {1, 1, 2, 2, 3, 3, 4, 4, 8});
    table.put(0.6, new int[] {1, 2, 2, 3, 3, 4, 5, 5, 10});
    table.put(0.7, new int[] {1, 2, 3, 3, 4, 5, 5, 6, 12});
    table.put(0.8, new int[] {1, 2, 3, 4, 4, 5, 6, 7, 13});
    table.put(0.9, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 15});
    int[] totals = {1, 2, 3, 4, 5, 6, 7, 8, 16};
    table.forEach((thresh, needed) -> {
      for (int t = 0; t < totals.length; t++) {
        int total = totals[t];
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
          addresses.add("192.0.2." + i);
        }
        Resource r = Resource.of("r", multifo(thresh, addresses.toArray(new String[0])));
        for (int up = 0; up <= total; up++) {
          Snapshots h = new Snapshots();
          for (int i = 1; i <= total; i++) {
            h.set("192.0.2." + i + "/up", i <= up ? HealthState.UP : HealthState.DOWN);
          }
          boolean passes = r.select(h.snapshot()).state() != ResourceState.DOWN;
          assertThat(passes).as("thresh %s, %d of %d up", thresh, up, total).isEqualTo(up >= needed[t]);
        }
      }
    });
  }

  @Test
  void multifoWithIgnoreHealthAnswersEveryAddressButStillJudgesTheResource() {
    Resource r = Resource.of("r", new ResourceConfig(ResourceConfig.Plugin.MULTIFO, List.of("192.0.2.1",
        "192.0.2.2"), null, null, null, null, null, null, null, null, true));
    Selection s = r.select(new Snapshots().set("192.0.2.1/up", HealthState.down(30)).snapshot());
    assertThat(s.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.1", "192.0.2.2")));
    assertThat(s.state()).isEqualTo(ResourceState.DEGRADED);
    assertThat(s.health()).isEqualTo(HealthState.up(30));
  }

  @Test
  void anAddressIsAsBadAsItsWorstServiceTypeAndAForcedResourceOverridesThemAll() {
    Resource r = Resource.of("www", new ResourceConfig(ResourceConfig.Plugin.MULTIFO, List.of("192.0.2.1",
        "192.0.2.2"), null, null, null, null, null, List.of("http", "ping"), 0.5, null, null));
    Snapshots h = new Snapshots().set("192.0.2.1/http", HealthState.up(100)).set("192.0.2.1/ping",
        HealthState.down(50)).set("192.0.2.2/http", HealthState.up(70)).set("192.0.2.2/ping", HealthState.up(90));
    Selection s = r.select(h.snapshot());
    assertThat(s.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.2")));
    assertThat(s.health()).isEqualTo(HealthState.up(50));
    assertThat(r.key()).isEqualTo("multifo/www");
    h.force("multifo/www", HealthState.up(33));
    Selection forced = r.select(h.snapshot());
    assertThat(forced.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.1", "192.0.2.2")));
    assertThat(forced.health()).isEqualTo(HealthState.up(33));
    assertThat(forced.state()).isEqualTo(ResourceState.UP);
  }

  @Test
  void simplefoFailsOverToTheSecondaryAndBackWithGdnsdsTtls() {
    Resource mail = Resource.of("mail", new ResourceConfig(ResourceConfig.Plugin.SIMPLEFO, null, "192.0.2.10",
        "192.0.2.20", null, null, null, null, null, null, null));
    Snapshots h = new Snapshots().set("192.0.2.10/up", HealthState.up(100)).set("192.0.2.20/up",
        HealthState.up(50));
    assertThat(mail.select(h.snapshot())).as("primary UP: its TTL only").isEqualTo(new Selection(ResourceState.UP,
        HealthState.up(100), new Choice.Listed(ips("192.0.2.10")), Choice.NONE));
    h.set("192.0.2.10/up", HealthState.down(200));
    assertThat(mail.select(h.snapshot())).as("secondary, the lesser TTL").isEqualTo(new Selection(
        ResourceState.DEGRADED, HealthState.up(50), new Choice.Listed(ips("192.0.2.20")), Choice.NONE));
    h.set("192.0.2.20/up", HealthState.down(70));
    assertThat(mail.select(h.snapshot())).as("both DOWN: the primary, the secondary's TTL").isEqualTo(new Selection(
        ResourceState.DOWN, HealthState.down(70), new Choice.Listed(ips("192.0.2.10")), Choice.NONE));
    h.set("192.0.2.10/up", HealthState.up(20));
    assertThat(mail.select(h.snapshot()).v4()).as("back").isEqualTo(new Choice.Listed(ips("192.0.2.10")));
  }

  @Test
  void simplefoWithBothFamiliesJudgesEachAndTakesTheLesserTtl() {
    Resource r = Resource.of("both", new ResourceConfig(ResourceConfig.Plugin.SIMPLEFO, null, null, null,
        new ResourceConfig.Failover("192.0.2.10", "192.0.2.20"),
        new ResourceConfig.Failover("2001:db8::10", "2001:db8::20"), null, null, null, null, null));
    Selection s = r.select(new Snapshots().set("2001:db8::10/up", HealthState.down(40)).snapshot());
    assertThat(s.v4()).isEqualTo(new Choice.Listed(ips("192.0.2.10")));
    assertThat(s.v6()).isEqualTo(new Choice.Listed(ips("2001:db8::20")));
    assertThat(s.health()).isEqualTo(HealthState.up(40));
    assertThat(s.state()).isEqualTo(ResourceState.DEGRADED);
  }

  @Test
  void weightedZeroesTheWeightOfADownAddressAndRestoresAllUnderUpThresh() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put("192.0.2.31", 60);
    weights.put("192.0.2.32", 30);
    weights.put("192.0.2.33", 10);
    Resource cdn = Resource.of("cdn", new ResourceConfig(ResourceConfig.Plugin.WEIGHTED, null, null, null, null,
        null, weights, null, 0.5, null, null));
    Snapshots h = new Snapshots().set("192.0.2.32/up", HealthState.down(20));
    Selection s = cdn.select(h.snapshot());
    assertThat(s.v4()).isEqualTo(new Choice.Weighted(ips("192.0.2.31", "192.0.2.32", "192.0.2.33"),
        List.of(60, 0, 10), false));
    assertThat(s.state()).isEqualTo(ResourceState.DEGRADED);
    assertThat(s.health()).isEqualTo(HealthState.up(20));
    h.set("192.0.2.31/up", HealthState.down(30));
    Selection failed = cdn.select(h.snapshot());
    assertThat(failed.v4()).as("10 < ceil(0.5 × 100): every weight as if UP").isEqualTo(new Choice.Weighted(
        ips("192.0.2.31", "192.0.2.32", "192.0.2.33"), List.of(60, 30, 10), false));
    assertThat(failed.state()).isEqualTo(ResourceState.DOWN);
  }

  @Test
  void configMistakesNameTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> multifo(0.0, "192.0.2.1")).hasMessage("upThresh: 0.0 (expected: a fraction in "
        + "(0.0 - 1.0])");
    assertThatThrownBy(() -> multifo(0.5, "2001:db8::1", "2001:DB8:0::1")).hasMessage("addresses[1]: 2001:DB8:0::1 "
        + "(expected: each address once)");
    assertThatThrownBy(() -> multifo(0.5, "www.example.org")).hasMessageContaining("addresses[0]: www.example.org "
        + "(expected: an IPv4 or IPv6 address literal)");
    assertThatThrownBy(() -> new ResourceConfig(ResourceConfig.Plugin.SIMPLEFO, null, "192.0.2.1", "2001:db8::1",
        null, null, null, null, null, null, null)).hasMessageContaining("secondary: 2001:db8::1 (expected: an "
        + "address of the primary's family)");
    assertThatThrownBy(() -> new ResourceConfig(ResourceConfig.Plugin.SIMPLEFO, null, "192.0.2.1", "192.0.2.2",
        null, null, null, null, 0.5, null, null)).hasMessage("upThresh: set (expected: no upThresh for plugin "
        + "simplefo)");
    assertThatThrownBy(() -> new ResourceConfig(ResourceConfig.Plugin.WEIGHTED, null, null, null, null, null,
        Map.of("192.0.2.1", 0), null, null, null, null)).hasMessage("weights.192.0.2.1: 0 (expected: a weight "
        + "1-1048575)");
    Map<String, Integer> eleven = new LinkedHashMap<>();
    for (int i = 1; i <= 11; i++) {
      eleven.put("192.0.2." + i, 1);
    }
    assertThatThrownBy(() -> new ResourceConfig(ResourceConfig.Plugin.WEIGHTED, null, null, null, null, null, eleven,
        null, null, true, null)).hasMessage("weights: 11 IPv4 addresses (expected: at most 10 per family with "
        + "multi)");
  }
}
