package org.example.lb.dns.health;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.example.lb.common.health.PeriodicCheck;

/**
 * One monitored address and service type (gdnsd's {@code smgr_t}): its real state and what decided it. Touched only on
 * the {@link HealthTable}'s serial executor.
 */
final class Monitor {
  final MonitorSpec spec;
  final String name;
  /** gdnsd's counters; null for static monitors and direct extfiles, whose states are given whole. */
  final AntiFlap antiFlap;
  final CompletableFuture<Void> firstResult = new CompletableFuture<>();
  HealthState real = HealthState.UP;
  String lastCheck = "not checked yet";
  Instant since;
  /** The periodic probe of http_status and tcp_connect monitors. */
  PeriodicCheck check;
  /** The extfile an extfile monitor reads. */
  ExtFile extFile;

  Monitor(MonitorSpec spec) {
    this.spec = spec;
    this.name = spec.name();
    ServiceType t = spec.type();
    boolean counted = t.plugin() == ServiceType.Plugin.HTTP_STATUS || t.plugin() == ServiceType.Plugin.TCP_CONNECT
        || (t.plugin() == ServiceType.Plugin.EXTFILE && !t.direct());
    this.antiFlap = counted ? t.antiFlap() : null;
  }

  MonitorStatus status(java.util.Optional<HealthState> forced) {
    String progress = antiFlap == null ? "" : antiFlap.failures() > 0 ? antiFlap.failures() + "/"
        + spec.type().downThresh() + " failures" : real.down() && antiFlap.successes() > 0 ? antiFlap.successes()
        + "/" + spec.type().upThresh() + " successes" : "";
    return new MonitorStatus(name, spec.type().plugin().toString(), real, forced, lastCheck,
        java.util.Optional.ofNullable(since), progress);
  }

  void close() {
    if (check != null) {
      check.close();
    }
  }
}
