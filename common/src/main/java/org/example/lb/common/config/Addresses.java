package org.example.lb.common.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literal parsing that never consults a resolver. */
public final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private Addresses() {}

  /** Returns the address if {@code text} is an IPv4 or IPv6 literal (no zone, no brackets). */
  public static Optional<InetAddress> parseLiteral(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      InetAddress address = InetAddress.getByName(text); // a literal: no lookup happens
      if (v6 != (address instanceof Inet6Address)) {
        return Optional.empty();
      }
      return Optional.of(address);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The address as HAProxy, nginx and ip(8) expect it: IPv6 without brackets, compressed. */
  public static String toText(InetAddress address) {
    String text = address.getHostAddress();
    if (address instanceof Inet6Address) {
      return compressIpv6(text);
    }
    return text;
  }

  private static String compressIpv6(String full) {
    // Java prints 2001:db8:0:0:0:0:0:1; compress the longest run of zero groups (RFC 5952 section 4.2).
    int pct = full.indexOf('%');
    if (pct >= 0) {
      full = full.substring(0, pct);
    }
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups.length; ) {
      if (groups[i].equals("0")) {
        int j = i;
        while (j < groups.length && groups[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestLen < 2) {
      return String.join(":", groups);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bestStart; i++) {
      sb.append(i == 0 ? "" : ":").append(groups[i]);
    }
    sb.append("::");
    for (int i = bestStart + bestLen; i < groups.length; i++) {
      sb.append(groups[i]);
      if (i < groups.length - 1) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
