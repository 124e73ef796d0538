package org.example.lb.dns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.example.lb.dns.resource.Binding;
import org.example.lb.dns.resource.ResourceConfig;
import org.example.lb.dns.wire.WireName;

/** The test resources bound in the example.org zone: one of each plugin. */
public final class TestResources {
  private TestResources() {}

  public static ResourceConfig multifo(double upThresh, String... addresses) {
    return new ResourceConfig(ResourceConfig.Plugin.MULTIFO, List.of(addresses), null, null, null, null, null, null,
        upThresh, null, null);
  }

  /**
   * www: multifo of three IPv4 and one IPv6; mail: simplefo .10 → .20; cdn: weighted 3/1/4; multi: weighted multi
   * 60/60/45.
   */
  public static Map<String, ResourceConfig> resources() {
    Map<String, ResourceConfig> r = new LinkedHashMap<>();
    r.put("www", multifo(0.5, "192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1"));
    r.put("mail", new ResourceConfig(ResourceConfig.Plugin.SIMPLEFO, null, "192.0.2.10", "192.0.2.20", null, null,
        null, null, null, null, null));
    Map<String, Integer> cdn = new LinkedHashMap<>();
    cdn.put("192.0.2.31", 3);
    cdn.put("192.0.2.32", 1);
    cdn.put("192.0.2.33", 4);
    r.put("cdn", new ResourceConfig(ResourceConfig.Plugin.WEIGHTED, null, null, null, null, null, cdn, null, 0.5,
        null, null));
    Map<String, Integer> multi = new LinkedHashMap<>();
    multi.put("192.0.2.41", 60);
    multi.put("192.0.2.42", 60);
    multi.put("192.0.2.43", 45);
    r.put("multi", new ResourceConfig(ResourceConfig.Plugin.WEIGHTED, null, null, null, null, null, multi, null,
        null, true, null));
    return r;
  }

  /** www.example.org → www (TTL 30-300), dyn → mail (defaults), cdn → cdn and multi → multi (TTL 0-60). */
  public static Map<WireName, Binding> bindings() {
    Map<WireName, Binding> b = new LinkedHashMap<>();
    b.put(WireName.of("www.example.org"), new Binding("www", 300, 30L));
    b.put(WireName.of("dyn.example.org"), Binding.of("mail"));
    b.put(WireName.of("cdn.example.org"), new Binding("cdn", 60, 0L));
    b.put(WireName.of("multi.example.org"), new Binding("multi", 60, 0L));
    return b;
  }
}
