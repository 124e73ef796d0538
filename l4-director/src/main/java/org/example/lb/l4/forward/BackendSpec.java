package org.example.lb.l4.forward;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.maglev.Backend;

/**
 * An LB7 as the director sees it: a stable name (it alone places the LB7 in the Maglev table and identifies its
 * flows across state versions, so keep it stable across restarts and directors), its infrastructure (tunnel)
 * addresses, a weight 0-65535 and its {@link BackendState}.
 *
 * <p>At least one of {@code ipv4} / {@code ipv6} must be present. Packets are tunnelled to the address of the inner
 * packet's family; when the LB7 has none of that family (or the director cannot send in it) the other family is used
 * (4in6 / 6in4).
 */
public record BackendSpec(String name, Optional<InetAddress> ipv4, Optional<InetAddress> ipv6, int weight,
    BackendState state) {
  public BackendSpec {
    Validation.nonBlank("name", name);
    Validation.required("ipv4", ipv4);
    Validation.required("ipv6", ipv6);
    ipv4.filter(a -> !(a instanceof Inet4Address)).ifPresent(a -> {
      throw Validation.invalid("ipv4", a.getHostAddress(), "an IPv4 address");
    });
    ipv6.filter(a -> !(a instanceof Inet6Address)).ifPresent(a -> {
      throw Validation.invalid("ipv6", a.getHostAddress(), "an IPv6 address");
    });
    if (ipv4.isEmpty() && ipv6.isEmpty()) {
      throw Validation.invalid("backend " + name, "no address", "an ipv4 or an ipv6 address, or both");
    }
    Validation.range("weight", weight, 0, Backend.MAX_WEIGHT);
    Validation.required("state", state);
  }

  /** An UP backend of weight 1 with the given addresses (either may be null). */
  public static BackendSpec up(String name, InetAddress ipv4, InetAddress ipv6) {
    return new BackendSpec(name, Optional.ofNullable(ipv4), Optional.ofNullable(ipv6), 1, BackendState.UP);
  }

  /** This backend in {@code newState}. */
  public BackendSpec withState(BackendState newState) {
    return new BackendSpec(name, ipv4, ipv6, weight, newState);
  }

  /** This backend with {@code newWeight}. */
  public BackendSpec withWeight(int newWeight) {
    return new BackendSpec(name, ipv4, ipv6, newWeight, state);
  }
}
