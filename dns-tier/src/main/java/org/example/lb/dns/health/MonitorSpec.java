package org.example.lb.dns.health;

import java.net.InetAddress;
import java.nio.file.Path;
import org.example.lb.common.config.Addresses;

/**
 * One thing to monitor: an address with a service type (gdnsd monitors each such pair once, however many resources
 * list it).
 *
 * @param address the monitored address (never resolved)
 * @param serviceTypeName the name in the config ({@code up} and {@code down} are built in)
 * @param type its definition
 * @param extDirectory where relative extfile names are found
 */
public record MonitorSpec(InetAddress address, String serviceTypeName, ServiceType type, Path extDirectory) {
  /** {@code 192.0.2.1/www}, {@code 2001:db8::1/www}: gdnsd's name, matched by admin_state keys. */
  public String name() {
    return name(address, serviceTypeName);
  }

  /** The monitor name of {@code address} with {@code serviceTypeName}. */
  public static String name(InetAddress address, String serviceTypeName) {
    return Addresses.toText(address) + "/" + serviceTypeName;
  }
}
