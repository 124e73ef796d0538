package org.example.lb.l4.testing;

/**
 * Two throwaway {@link TestNamespace}s joined by a veth pair, each end up with a documentation address of each
 * family: {@link #first()} has {@value #FIRST_IPV4}/24 and {@value #FIRST_IPV6}/64 on {@value #FIRST_LINK},
 * {@link #second()} has {@value #SECOND_IPV4}/24 and {@value #SECOND_IPV6}/64 on {@value #SECOND_LINK}. IPv6
 * addresses skip duplicate address detection, so both are usable at once. {@link #close()} deletes both namespaces
 * (and with them the veth pair).
 */
public final class TwoNamespaces implements AutoCloseable {
  public static final String FIRST_IPV4 = "192.0.2.1";
  public static final String SECOND_IPV4 = "192.0.2.2";
  public static final String FIRST_IPV6 = "2001:db8::1";
  public static final String SECOND_IPV6 = "2001:db8::2";
  /** The veth end in {@link #first()}. */
  public static final String FIRST_LINK = "to-second";
  /** The veth end in {@link #second()}. */
  public static final String SECOND_LINK = "to-first";

  private final TestNamespace first;
  private final TestNamespace second;

  private TwoNamespaces(TestNamespace first, TestNamespace second) {
    this.first = first;
    this.second = second;
  }

  public static TwoNamespaces create() throws Exception {
    TestNamespace first = TestNamespace.create();
    TestNamespace second = null;
    try {
      second = TestNamespace.create();
      first.ip("link", "add", FIRST_LINK, "type", "veth", "peer", "name", SECOND_LINK, "netns", second.name());
      first.ip("addr", "add", FIRST_IPV4 + "/24", "dev", FIRST_LINK);
      first.ip("addr", "add", FIRST_IPV6 + "/64", "dev", FIRST_LINK, "nodad");
      first.ip("link", "set", FIRST_LINK, "up");
      second.ip("addr", "add", SECOND_IPV4 + "/24", "dev", SECOND_LINK);
      second.ip("addr", "add", SECOND_IPV6 + "/64", "dev", SECOND_LINK, "nodad");
      second.ip("link", "set", SECOND_LINK, "up");
      return new TwoNamespaces(first, second);
    } catch (Exception | Error e) {
      if (second != null) {
        second.close();
      }
      first.close();
      throw e;
    }
  }

  public TestNamespace first() {
    return first;
  }

  public TestNamespace second() {
    return second;
  }

  @Override
  public void close() throws Exception {
    try {
      first.close();
    } finally {
      second.close();
    }
  }
}
