package org.example.lb.l4.nativeio;

import java.util.HashMap;
import java.util.Map;

/**
 * A Linux errno value. Known numbers map to constants with their symbolic name; {@link #valueOf(int)} of an unknown
 * number returns a value named {@code E<number>}, so every code round-trips: {@code valueOf(e.number()) == e} for the
 * constants and {@code equals} for the rest.
 *
 * @param number the errno number (positive)
 * @param name the symbolic name, e.g. {@code EAGAIN}
 */
public record Errno(int number, String name) {
  private static final Map<Integer, Errno> KNOWN = new HashMap<>();
  private static final Map<String, Errno> BY_NAME = new HashMap<>();

  public static final Errno EPERM = known(1, "EPERM");
  public static final Errno ENOENT = known(2, "ENOENT");
  public static final Errno EINTR = known(4, "EINTR");
  public static final Errno EIO = known(5, "EIO");
  public static final Errno ENXIO = known(6, "ENXIO");
  public static final Errno EBADF = known(9, "EBADF");
  public static final Errno EAGAIN = known(11, "EAGAIN");
  public static final Errno ENOMEM = known(12, "ENOMEM");
  public static final Errno EACCES = known(13, "EACCES");
  public static final Errno EFAULT = known(14, "EFAULT");
  public static final Errno EBUSY = known(16, "EBUSY");
  public static final Errno EEXIST = known(17, "EEXIST");
  public static final Errno ENODEV = known(19, "ENODEV");
  public static final Errno EINVAL = known(22, "EINVAL");
  public static final Errno ENFILE = known(23, "ENFILE");
  public static final Errno EMFILE = known(24, "EMFILE");
  public static final Errno ENOTTY = known(25, "ENOTTY");
  public static final Errno ENOSPC = known(28, "ENOSPC");
  public static final Errno EPIPE = known(32, "EPIPE");
  public static final Errno ENOSYS = known(38, "ENOSYS");
  public static final Errno ENOTSOCK = known(88, "ENOTSOCK");
  public static final Errno EDESTADDRREQ = known(89, "EDESTADDRREQ");
  public static final Errno EMSGSIZE = known(90, "EMSGSIZE");
  public static final Errno EPROTOTYPE = known(91, "EPROTOTYPE");
  public static final Errno ENOPROTOOPT = known(92, "ENOPROTOOPT");
  public static final Errno EPROTONOSUPPORT = known(93, "EPROTONOSUPPORT");
  public static final Errno EOPNOTSUPP = known(95, "EOPNOTSUPP");
  public static final Errno EAFNOSUPPORT = known(97, "EAFNOSUPPORT");
  public static final Errno EADDRINUSE = known(98, "EADDRINUSE");
  public static final Errno EADDRNOTAVAIL = known(99, "EADDRNOTAVAIL");
  public static final Errno ENETDOWN = known(100, "ENETDOWN");
  public static final Errno ENETUNREACH = known(101, "ENETUNREACH");
  public static final Errno ECONNRESET = known(104, "ECONNRESET");
  public static final Errno ENOBUFS = known(105, "ENOBUFS");
  public static final Errno ETIMEDOUT = known(110, "ETIMEDOUT");
  public static final Errno ECONNREFUSED = known(111, "ECONNREFUSED");
  public static final Errno EHOSTUNREACH = known(113, "EHOSTUNREACH");

  public Errno {
    if (number <= 0) {
      throw new IllegalArgumentException("number: " + number + " (expected: a positive errno)");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: " + name + " (expected: a symbolic name such as EAGAIN)");
    }
  }

  private static Errno known(int number, String name) {
    Errno errno = new Errno(number, name);
    KNOWN.put(number, errno);
    BY_NAME.put(name, errno);
    return errno;
  }

  /** The constant for {@code number}, or a new value named {@code E<number>} when it is not one of the constants. */
  public static Errno valueOf(int number) {
    Errno errno = KNOWN.get(number);
    return errno != null ? errno : new Errno(number, "E" + number);
  }

  /** The constant named {@code name} (e.g. "EAGAIN"), or the value for {@code E<number>}; else an error. */
  public static Errno valueOf(String name) {
    Errno errno = BY_NAME.get(name);
    if (errno != null) {
      return errno;
    }
    if (name.length() > 1 && name.charAt(0) == 'E') {
      try {
        return valueOf(Integer.parseInt(name.substring(1)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("errno: " + name + " (expected: a name such as EAGAIN or E<number>)");
  }

  /** The C library's description, e.g. "Resource temporarily unavailable". */
  public String description() {
    return Libc.strerror(number);
  }

  /** Whether a retry later may succeed without any change: EAGAIN (= EWOULDBLOCK), EINTR or ENOBUFS. */
  public boolean isTransient() {
    return number == 11 || number == 4 || number == 105;
  }

  @Override
  public String toString() {
    return name;
  }
}
