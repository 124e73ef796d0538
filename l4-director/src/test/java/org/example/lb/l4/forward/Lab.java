package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.example.lb.l4.maglev.MaglevTable;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;

/** Services, LB7s and director settings shared by the forwarder tests (documentation addresses only). */
final class Lab {
  static final String VIP4 = "192.0.2.10";
  static final String VIP6 = "2001:db8:10::10";
  static final InetAddress DIRECTOR4 = addr("198.51.100.250");
  static final InetAddress DIRECTOR6 = addr("2001:db8:ff::1");
  static final long T0 = 1_000_000_000_000L;
  static final long SECOND = 1_000_000_000L;

  static final List<ServiceSpec> SERVICES = List.of(
      new ServiceSpec(addr(VIP4), ServiceSpec.Protocol.TCP, 443),
      new ServiceSpec(addr(VIP4), ServiceSpec.Protocol.UDP, 53),
      new ServiceSpec(addr(VIP6), ServiceSpec.Protocol.TCP, 443),
      new ServiceSpec(addr(VIP6), ServiceSpec.Protocol.UDP, 0));

  private Lab() {}

  static InetAddress addr(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  /** LB7 {@code name} ("a".."z") at 198.51.100.N and 2001:db8:7::N, weight 1, UP. */
  static BackendSpec lb7(String name) {
    int n = name.charAt(0) - 'a' + 1;
    return BackendSpec.up(name, addr("198.51.100." + n), addr("2001:db8:7::" + n));
  }

  static BackendSpec lb7(String name, BackendState state) {
    return lb7(name).withState(state);
  }

  static ForwardingState state(SchedulerKind kind, Optional<ForwardingState> previous, BackendSpec... backends) {
    return ForwardingState.build(previous, kind, HashKey.FIVE_TUPLE, MaglevTable.DEFAULT_SIZE, SERVICES,
        Arrays.asList(backends));
  }

  static ForwardingState maglev(BackendSpec... backends) {
    return state(SchedulerKind.MAGLEV, Optional.empty(), backends);
  }

  static WorkerSettings settings() {
    return WorkerSettings.defaults().withSources(Optional.of(DIRECTOR4), Optional.of(DIRECTOR6));
  }

  static Forwarder director() {
    return Forwarder.create(0, settings());
  }

  /** Client {@code i}'s flow: 203.0.113.(1 + i % 250), port 10000 + i → VIP4:443. */
  static ByteBuffer tcp4(int i, int flags) {
    return ClientPackets.tcp("203.0.113." + (1 + i % 250), 10000 + i, VIP4, 443, flags);
  }

  static ByteBuffer tcp6(int i, int flags) {
    return ClientPackets.tcp("2001:db8:c::" + Integer.toHexString(1 + i % 250), 10000 + i, VIP6, 443, flags);
  }

  static int forward(Forwarder f, ForwardingState s, ByteBuffer packet, long now) {
    return f.forward(s, packet, TestPackets.HEADROOM, ClientPackets.length(packet), now);
  }

  /** Forwards {@code packet}, asserts it is tunnelled, and returns the LB7's name. */
  static String lb7Of(Forwarder f, ForwardingState s, ByteBuffer packet, long now) {
    int verdict = forward(f, s, packet, now);
    assertThat(Verdict.valueOf(verdict)).isEqualTo(Verdict.OK);
    return f.backend();
  }

  static String lb7Of(Forwarder f, ForwardingState s, ByteBuffer packet) {
    return lb7Of(f, s, packet, T0);
  }

  /** Flows of {@code name} in {@code f}'s table under {@code s}. */
  static int flowsOf(Forwarder f, ForwardingState s, String name) {
    int slot = s.slot(name);
    return slot < 0 ? 0 : f.flows().flowsOf(slot, s.generation(slot));
  }
}
