package org.example.lb.dns.resource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.example.lb.dns.answer.Answer;
import org.example.lb.dns.answer.DynamicRrsets;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.MonitorSpec;
import org.example.lb.dns.health.ServiceType;
import org.example.lb.dns.wire.RrType;
import org.example.lb.dns.wire.WireName;

/**
 * The dynamic names of one config generation, answered from their resources: what a table build asks for
 * ({@link DynamicRrsets}) and what health changes update ({@link #update}).
 *
 * <p>Each bound answer holds the chunks of its resource's current {@link Selection}. On every health snapshot the
 * resources select again; only those whose selection changed recompile their names' chunks (off the query path, on the
 * health executor) and publish them with one volatile write each. No table is rebuilt.
 *
 * <p>One instance per table: {@link #bind} registers the answer for updates.
 */
public final class DynamicAnswers implements DynamicRrsets {
  private final Map<String, Resource> resources;
  private final Map<WireName, Binding> bindings;
  private final AnswerCounters counters;
  private final Map<String, List<ResourceAnswer>> answers = new HashMap<>();
  private volatile Map<String, Selection> selections;

  private DynamicAnswers(Map<String, Resource> resources, Map<WireName, Binding> bindings, AnswerCounters counters,
      HealthSnapshot initial) {
    this.resources = resources;
    this.bindings = bindings;
    this.counters = counters;
    Map<String, Selection> s = new LinkedHashMap<>();
    resources.forEach((name, r) -> s.put(name, r.select(initial)));
    this.selections = Collections.unmodifiableMap(s);
  }

  /**
   * The answers of {@code bindings} (name → binding of a resource of {@code resources}), selected first from
   * {@code initial}.
   *
   * @throws IllegalArgumentException when a binding names a resource not in {@code resources}
   */
  public static DynamicAnswers of(Map<String, ResourceConfig> resources, Map<WireName, Binding> bindings,
      AnswerCounters counters, HealthSnapshot initial) {
    Map<String, Resource> built = new LinkedHashMap<>();
    resources.forEach((name, config) -> built.put(name, Resource.of(name, config)));
    bindings.forEach((name, b) -> {
      if (!built.containsKey(b.resource())) {
        throw new IllegalArgumentException("dynamic." + name + ".resource: " + b.resource()
            + " (expected: a resource defined in resources)");
      }
    });
    return new DynamicAnswers(Collections.unmodifiableMap(built), Map.copyOf(bindings), counters, initial);
  }

  /**
   * What to monitor for {@code resources}: each address with each of its resource's service types, once.
   *
   * @param serviceTypes the configured service types ({@code up} and {@code down} are built in)
   * @param extDirectory where relative extfile names are found
   */
  public static List<MonitorSpec> monitors(Map<String, ResourceConfig> resources,
      Map<String, ServiceType> serviceTypes, Path extDirectory) {
    Set<MonitorSpec> specs = new LinkedHashSet<>();
    resources.forEach((name, config) -> {
      Resource r = Resource.of(name, config);
      for (java.net.InetAddress a : r.addresses()) {
        for (String t : r.serviceTypes()) {
          ServiceType type = switch (t) {
            case "up" -> ServiceType.UP;
            case "down" -> ServiceType.DOWN;
            default -> serviceTypes.get(t);
          };
          if (type == null) {
            throw new IllegalArgumentException("resources." + name + ".serviceTypes: " + t
                + " (expected: a service type defined in serviceTypes, or up, or down)");
          }
          specs.add(new MonitorSpec(a, t, type, extDirectory));
        }
      }
    });
    return List.copyOf(specs);
  }

  /** The admin_state keys of {@code resources} ({@code multifo/www}). */
  public static Set<String> resourceKeys(Map<String, ResourceConfig> resources) {
    Set<String> keys = new LinkedHashSet<>();
    resources.forEach((name, config) -> keys.add(config.plugin() + "/" + name));
    return keys;
  }

  @Override
  public Set<WireName> names() {
    return bindings.keySet();
  }

  @Override
  public Answer bind(WireName name, int type, RrsetCompiler compiler) {
    Binding b = bindings.get(name);
    if (b == null) {
      throw new IllegalArgumentException(name + " is not dynamic");
    }
    Resource r = resources.get(b.resource());
    int family = type == RrType.AAAA.code() ? 6 : 4;
    Selection initial = selections.get(r.name());
    if (initial.family(family) == Choice.NONE) {
      return Answer.fixed(compiler.compile(List.of(), 0)); // no address of this family: NODATA, always
    }
    ResourceAnswer a = new ResourceAnswer(r, b, family, compiler, counters, initial);
    synchronized (answers) {
      answers.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(a);
    }
    return a;
  }

  /**
   * Selects again from {@code health}; the answers of each resource whose selection changed are recompiled and
   * published. Called by one thread at a time (the health table's executor).
   */
  public void update(HealthSnapshot health) {
    Map<String, Selection> before = selections;
    Map<String, Selection> after = new LinkedHashMap<>();
    resources.forEach((name, r) -> {
      Selection s = r.select(health);
      after.put(name, s);
      if (!s.equals(before.get(name))) {
        List<ResourceAnswer> bound;
        synchronized (answers) {
          bound = List.copyOf(answers.getOrDefault(name, List.of()));
        }
        bound.forEach(a -> a.publish(s));
      }
    });
    selections = Collections.unmodifiableMap(after);
  }

  /** Each resource's current selection, in config order. */
  public Map<String, Selection> selections() {
    return selections;
  }

  /** The resources, by name, in config order. */
  public Map<String, Resource> resources() {
    return resources;
  }

  /** The bindings, by name. */
  public Map<WireName, Binding> bindings() {
    return bindings;
  }
}
