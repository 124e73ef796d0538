package org.example.lb.l4.forward;

import org.example.lb.common.config.Validation;
import java.net.InetAddress;

/**
 * A service the director forwards: packets to {@code vip} of {@code protocol} to {@code port} (0 = any port). Any
 * other packet that reaches the director is dropped and counted ({@code NOT_A_SERVICE}).
 */
public record ServiceSpec(InetAddress vip, Protocol protocol, int port) {
  /** The transport protocols a service may have. */
  public enum Protocol {
    TCP(6),
    UDP(17);

    private final int number;

    Protocol(int number) {
      this.number = number;
    }

    /** The IP protocol number: 6 or 17. */
    public int number() {
      return number;
    }
  }

  public ServiceSpec {
    Validation.required("vip", vip);
    Validation.required("protocol", protocol);
    Validation.range("port", port, 0, 65535);
  }
}
