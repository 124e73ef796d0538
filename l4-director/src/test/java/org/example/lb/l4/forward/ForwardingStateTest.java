package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.example.lb.l4.forward.Lab.addr;
import static org.example.lb.l4.forward.Lab.lb7;
import static org.example.lb.l4.forward.Lab.maglev;
import static org.example.lb.l4.forward.Lab.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardingStateTest {
  @Test
  void tableEntriesShareTheTableAmongUpBackendsByWeight() {
    ForwardingState s = maglev(lb7("a"), lb7("b").withWeight(3), lb7("c", BackendState.DRAINING),
        lb7("d", BackendState.DOWN));

    assertThat(s.tableSize()).isEqualTo(65537);
    assertThat(s.tableEntries("a") + s.tableEntries("b")).isEqualTo(65537);
    assertThat((double) s.tableEntries("b") / s.tableEntries("a")).isBetween(2.9, 3.1);
    assertThat(s.tableEntries("c")).isZero();
    assertThat(s.tableEntries("d")).isZero();
    assertThat(s.tableEntries("nobody")).isZero();
    assertThat(s.backends()).extracting(BackendSpec::name).containsExactly("a", "b", "c", "d");
  }

  @Test
  void slotsAreKeptByNameAcrossBuilds() {
    ForwardingState first = maglev(lb7("b"), lb7("a"));
    ForwardingState second = state(SchedulerKind.WLC, Optional.of(first), lb7("c"),
        lb7("a", BackendState.DOWN).withWeight(7), lb7("b"));

    assertThat(second.slot("a")).isEqualTo(first.slot("a"));
    assertThat(second.generation(second.slot("a"))).isEqualTo(first.generation(first.slot("a")));
    assertThat(second.slot("b")).isEqualTo(first.slot("b"));
    assertThat(second.slot("c")).isEqualTo(2);
    assertThat(second.slot("gone")).isEqualTo(-1);
  }

  @Test
  void withoutPreviousEverySlotGetsANewGeneration() {
    ForwardingState first = maglev(lb7("a"));
    ForwardingState unrelated = maglev(lb7("a"));

    assertThat(unrelated.slot("a")).isEqualTo(first.slot("a"));
    assertThat(unrelated.generation(0)).isNotEqualTo(first.generation(0));
    assertThat(unrelated.keepsFlow(0, first.generation(0))).isFalse();
  }

  @Test
  void duplicateNamesAndServicesAreRejected() {
    assertThatThrownBy(() -> maglev(lb7("a"), lb7("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backends: duplicate name \"a\" (expected: unique names)");
    ServiceSpec web = new ServiceSpec(addr("192.0.2.10"), ServiceSpec.Protocol.TCP, 443);
    assertThatThrownBy(() -> ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.FIVE_TUPLE, 65537,
        List.of(web, web), List.of(lb7("a"))))
        .hasMessage("services: TCP 192.0.2.10 port 443 (expected: each service once)");
    assertThatThrownBy(() -> ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.FIVE_TUPLE, 1000,
        List.of(web), List.of(lb7("a")))).hasMessageStartingWith("tableSize: 1000 (expected: a prime");
  }

  @Test
  void schedulerNamesParseAsInIpvs() {
    assertThat(SchedulerKind.parse("maglev")).isEqualTo(SchedulerKind.MAGLEV);
    assertThat(SchedulerKind.parse("WLC")).isEqualTo(SchedulerKind.WLC);
    assertThat(SchedulerKind.parse("sh")).isEqualTo(SchedulerKind.SH);
    assertThatThrownBy(() -> SchedulerKind.parse("lblc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheduler: lblc (expected: one of maglev, rr, wrr, lc, wlc, sh, dh)");
    assertThat(HashKey.parse("source")).isEqualTo(HashKey.SOURCE);
    assertThatThrownBy(() -> HashKey.parse("dst")).hasMessage("hashKey: dst (expected: five-tuple or source)");
  }

  @Test
  void specsAreValidatedWithTheFieldName() {
    assertThatThrownBy(() -> BackendSpec.up("x", null, null))
        .hasMessage("backend x: no address (expected: an ipv4 or an ipv6 address, or both)");
    assertThatThrownBy(() -> BackendSpec.up("x", addr("2001:db8::1"), null))
        .hasMessage("ipv4: 2001:db8:0:0:0:0:0:1 (expected: an IPv4 address)");
    assertThatThrownBy(() -> lb7("a").withWeight(70000)).hasMessage("weight: 70000 (expected: an integer 0-65535)");
    assertThatThrownBy(() -> new ServiceSpec(addr("192.0.2.1"), ServiceSpec.Protocol.UDP, 65536))
        .hasMessage("port: 65536 (expected: an integer 0-65535)");
    assertThatThrownBy(() -> new WorkerSettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1500, Optional.empty(), Optional.empty(), 1)).hasMessageStartingWith("flowCapacity: 0");
    assertThatThrownBy(() -> WorkerSettings.defaults().withSources(Optional.of(addr("2001:db8::1")), Optional.empty()))
        .hasMessage("ipv4Source: 2001:db8:0:0:0:0:0:1 (expected: an IPv4 address)");
    assertThat(WorkerSettings.defaults().tcpIdle()).isEqualTo(Duration.ofSeconds(900));
    assertThat(WorkerSettings.defaults().tcpClosingIdle()).isEqualTo(Duration.ofSeconds(120));
    assertThat(WorkerSettings.defaults().udpIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(WorkerSettings.defaults().icmpPerSecond()).isEqualTo(100);
  }
}
