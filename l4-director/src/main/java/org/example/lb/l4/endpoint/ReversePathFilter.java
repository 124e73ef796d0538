package org.example.lb.l4.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.example.lb.common.cli.ServiceMain;

/**
 * IPv4 reverse-path filtering of the packets the endpoint writes to its device. A decapsulated packet arrives on the
 * TUN with the client's source address, while the route back to the client leaves through the LB7's uplink. The
 * kernel applies {@code max(net.ipv4.conf.all.rp_filter, net.ipv4.conf.<device>.rp_filter)}, and (measured on this
 * project's kernel, see EndpointNodeTest; it is {@code fib_validate_source}'s "no address" rule) on a device without
 * an IPv4 address any filtering drops such packets:
 *
 * <ul>
 *   <li>0 (off): the packets pass;</li>
 *   <li>1 (strict, RFC 3704): dropped, the route back is not through the device;</li>
 *   <li>2 (loose): passes only if the device has an IPv4 address (any, e.g. the LB7's own /32).</li>
 * </ul>
 *
 * <p>So on the usual address-less TUN the effective value must be 0. Relaxing ({@link #check}) changes only the
 * device's own value: to 0 when {@code conf.all} is 0, to 2 when {@code conf.all} is 1 and the device has an IPv4
 * address; in every other case only the operator can help ({@code conf.all} is never touched). IPv6 has no
 * reverse-path filter in the kernel. The sysctls are read under {@code /proc/sys/net/ipv4/conf}, which shows the
 * network namespace of the calling thread.
 */
final class ReversePathFilter {
  /** Where the kernel shows the IPv4 per-interface settings. */
  static final Path SYSCTLS = Path.of("/proc/sys/net/ipv4/conf");
  /** No device value helps: see {@link #deviceFix}. */
  static final int NO_FIX = -1;

  private final Path root;
  private final String device;
  private final boolean hasIpv4Address;

  private ReversePathFilter(Path root, String device, boolean hasIpv4Address) {
    this.root = root;
    this.device = device;
    this.hasIpv4Address = hasIpv4Address;
  }

  /**
   * The filter as it applies to {@code device}, with the sysctls under {@code root} ({@link #SYSCTLS} on a host);
   * {@code hasIpv4Address} says whether the device has an IPv4 address.
   */
  static ReversePathFilter of(Path root, String device, boolean hasIpv4Address) {
    return new ReversePathFilter(root, device, hasIpv4Address);
  }

  /** Whether decapsulated packets pass with {@code conf.all} = {@code all} and the device's own {@code device}. */
  static boolean passes(int all, int device, boolean hasIpv4Address) {
    int effective = Math.max(all, device);
    return effective == 0 || effective == 2 && hasIpv4Address;
  }

  /** The device value that lets the packets pass without touching {@code conf.all}, or {@link #NO_FIX}. */
  static int deviceFix(int all, boolean hasIpv4Address) {
    for (int value : new int[] {0, 2}) {
      if (passes(all, value, hasIpv4Address)) {
        return value;
      }
    }
    return NO_FIX;
  }

  /** {@code net.ipv4.conf.all.rp_filter}. */
  int all() throws IOException {
    return read("all");
  }

  /** {@code net.ipv4.conf.<device>.rp_filter}. */
  int device() throws IOException {
    return read(device);
  }

  private int read(String scope) throws IOException {
    Path file = root.resolve(scope).resolve("rp_filter");
    String text = Files.readString(file).strip();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": \"" + text + "\" (expected: 0, 1 or 2)");
    }
  }

  /**
   * Makes sure the filter lets decapsulated packets in and returns a one-line description of the setting. When it
   * would drop them: with {@code relax} and a {@link #deviceFix}, writes that value for the device; otherwise fails
   * with a {@link ServiceMain.UserError} naming the sysctl(s) to set. Never changes {@code conf.all}.
   */
  String check(boolean relax) throws IOException {
    int all = all();
    int dev = device();
    String sysctl = "net.ipv4.conf." + device + ".rp_filter";
    String setting = "net.ipv4.conf.all.rp_filter=" + all + ", " + sysctl + "=" + dev
        + (hasIpv4Address ? "" : ", no IPv4 address on " + device);
    if (passes(all, dev, hasIpv4Address)) {
      return "rp_filter " + Math.max(all, dev) + " (" + setting + "): decapsulated packets pass";
    }
    String why = "reverse-path filtering (" + setting + ") would drop every decapsulated IPv4 packet";
    int fix = deviceFix(all, hasIpv4Address);
    if (fix == NO_FIX) {
      throw new ServiceMain.UserError(why + ": set sysctl net.ipv4.conf.all.rp_filter=0 and " + sysctl
          + "=0 (a device without an IPv4 address passes them only with filtering off), or give " + device
          + " an IPv4 address and set " + sysctl + "=2");
    }
    if (!relax) {
      throw new ServiceMain.UserError(why + ": set sysctl " + sysctl + "=" + fix
          + ", or relaxReversePathFilter: true to let the endpoint set it");
    }
    Files.writeString(root.resolve(device).resolve("rp_filter"), fix + "\n");
    int now = device();
    if (!passes(all(), now, hasIpv4Address)) {
      throw new ServiceMain.UserError("cannot relax reverse-path filtering on " + device + ": " + sysctl
          + " reads " + now + " after writing " + fix);
    }
    return "rp_filter " + Math.max(all, now) + " (" + setting.replace(sysctl + "=" + dev, sysctl + "=" + now)
        + ", set from " + dev + " by relaxReversePathFilter): decapsulated packets pass";
  }
}
