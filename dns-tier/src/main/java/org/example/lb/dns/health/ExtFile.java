package org.example.lb.dns.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.flags.FlagDirectory;
import org.example.lb.common.health.CheckScheduler;

/**
 * The state file of one extfile service type (gdnsd-plugin-extfile(8)) and the monitors that read it: lines
 * {@code ADDRESS => UP|DOWN[/TTL]} ({@link StateLines}).
 *
 * <p>Direct mode watches the file (inotify, and a rescan every interval, through {@link FlagDirectory}) and applies its
 * states and TTLs as soon as its content changes. Monitor mode, gdnsd's default, reads the file every interval and
 * counts each address's state as one check result, through the anti-flap thresholds; TTLs in the file are ignored.
 *
 * <p>A malformed line is logged once per version of the file, {@code file:line: what (expected: ...)}, counted, and
 * skipped; the other lines apply (gdnsd instead ignores the whole file). A file whose last line has no newline yet is
 * half-written: the previous states stay until it is complete. A file that is missing, or removed, keeps the states
 * last read (gdnsd: "no updates applied"). When an address appears twice, the last line wins; an address not in the
 * file gets the service type's default ({@code defDown}, {@code defTtl}). Everything runs on the {@link HealthTable}'s
 * serial executor.
 */
final class ExtFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExtFile.class.getName());
  /** Far more than any list of addresses. */
  private static final int MAX_BYTES = 1 << 20;

  private final String serviceTypeName;
  private final ServiceType type;
  private final Path file;
  private final HealthTable table;
  private final CheckScheduler scheduler;
  private final List<Monitor> monitors = new ArrayList<>();
  /** The states last read from a complete file; null until one was read. */
  private Map<String, HealthState> states;
  private String lastText;
  private FlagDirectory watch;
  private CheckScheduler.Cancellable tick;
  private boolean closed;

  private ExtFile(String serviceTypeName, ServiceType type, Path file, HealthTable table, CheckScheduler scheduler) {
    this.serviceTypeName = serviceTypeName;
    this.type = type;
    this.file = file;
    this.table = table;
    this.scheduler = scheduler;
  }

  /** Reads the file now (on {@code serial}, the caller's thread), then watches it (direct) or re-reads it (monitor). */
  static ExtFile start(String serviceTypeName, ServiceType type, Path file, HealthTable table,
      CheckScheduler scheduler, Executor serial) {
    ExtFile f = new ExtFile(serviceTypeName, type, file, table, scheduler);
    f.readNow();
    if (type.direct()) {
      String name = file.getFileName().toString();
      f.watch = FlagDirectory.watch(file.toAbsolutePath().getParent(), type.interval(), MAX_BYTES, serial,
          (changed, content) -> {
            if (changed.equals(name)) {
              f.read(content);
            }
          });
    } else {
      f.tick = scheduler.schedule(type.interval(), () -> serial.execute(f::count));
    }
    return f;
  }

  private void readNow() {
    try {
      read(Optional.of(Files.readString(file)));
    } catch (NoSuchFileException e) {
      if (lastText != null || states == null) {
        LOG.warning(file + ": no such file (service type " + serviceTypeName + "): "
            + (states == null ? "its monitors stay UP until it exists" : "the states last read stay"));
      }
      lastText = null;
    } catch (IOException e) {
      LOG.warning(file + ": cannot read (" + e.getMessage() + "): the states last read stay");
    }
  }

  Path file() {
    return file;
  }

  /** Adds a monitor of this file and gives it its first state. */
  void add(Monitor m) {
    m.extFile = this;
    monitors.add(m);
    if (!type.direct()) {
      readNow(); // its first check, as in gdnsd's initial round
    }
    if (states == null) {
      m.lastCheck = "extfile: no data yet";
      m.firstResult.complete(null);
    } else if (type.direct()) {
      apply(List.of(m));
    } else {
      count(List.of(m));
    }
  }

  /** Removes a monitor; true when none is left. */
  boolean remove(Monitor m) {
    monitors.remove(m);
    return monitors.isEmpty();
  }

  private void read(Optional<String> content) {
    if (closed) {
      return;
    }
    if (content.isEmpty()) {
      if (lastText != null) {
        LOG.warning(file + ": removed; the states last read stay");
        lastText = null;
      }
      return;
    }
    String text = content.get();
    if (text.equals(lastText)) {
      return;
    }
    lastText = text;
    StateLines lines = StateLines.parse(text, type.defTtl());
    if (!lines.complete()) {
      table.halfWrittenFile();
      LOG.warning(file + (text.isEmpty() ? ": empty (being rewritten?)" : ": the last line has no newline yet "
          + "(half-written?)") + ": the previous states stay");
      return;
    }
    Map<String, HealthState> next = new HashMap<>();
    for (String error : lines.errors()) {
      table.badLine();
      LOG.warning(file + ":" + error + "; line skipped");
    }
    for (StateLines.Entry e : lines.entries()) {
      Optional<java.net.InetAddress> address = Addresses.parseLiteral(e.key());
      if (address.isEmpty()) {
        table.badLine();
        LOG.warning(file + ":" + e.line() + ": " + e.key() + ": not an IP address (expected: ADDRESS => UP or DOWN,"
            + " optionally /TTL); line skipped");
        continue;
      }
      next.put(Addresses.toText(address.get()), e.state());
    }
    states = next;
    if (type.direct()) {
      apply(monitors);
    }
  }

  private HealthState stateOf(Monitor m) {
    HealthState s = states.get(Addresses.toText(m.spec.address()));
    return s != null ? s : new HealthState(type.defDown(), type.defTtl());
  }

  /** Direct mode: the file's states are the monitors' states. */
  private void apply(List<Monitor> which) {
    Set<String> defaulted = new LinkedHashSet<>();
    for (Monitor m : List.copyOf(which)) {
      boolean listed = states.containsKey(Addresses.toText(m.spec.address()));
      if (!listed) {
        defaulted.add(Addresses.toText(m.spec.address()));
      }
      HealthState s = stateOf(m);
      table.observed(m, s, "extfile: " + (listed ? s : "not in the file, default " + s));
    }
    warnDefaulted(defaulted);
  }

  /** Monitor mode, every interval: the file is read again, and each address's state counts as one check result. */
  private void count() {
    if (closed) {
      return;
    }
    tick = scheduler.schedule(type.interval(), () -> table.execute(this::count));
    readNow();
    if (states != null) {
      count(monitors);
    }
  }

  private void count(List<Monitor> which) {
    for (Monitor m : List.copyOf(which)) {
      boolean listed = states.containsKey(Addresses.toText(m.spec.address()));
      boolean ok = !stateOf(m).down();
      table.observed(m, m.antiFlap.record(ok), "extfile: " + (ok ? "UP" : "DOWN") + (listed ? "" : " (default)"));
    }
  }

  private void warnDefaulted(Set<String> defaulted) {
    if (!defaulted.isEmpty()) {
      LOG.warning(file + ": " + String.join(", ", defaulted) + " not in the file: " + (type.defDown() ? "DOWN" : "UP")
          + " by default (service type " + serviceTypeName + ")");
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) {
      watch.close();
    }
    if (tick != null) {
      tick.cancel();
    }
  }
}
