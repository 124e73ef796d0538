package org.example.lb.dns.health;

import java.net.InetAddress;
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
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.DurationText;

/**
 * The state file of one extfile service type (gdnsd-plugin-extfile(8)) and the monitors that read it: lines
 * {@code ADDRESS => UP|DOWN[/TTL]} ({@link StateLines}).
 *
 * <p>Direct mode watches the file as a {@link StateFile} (inotify, a rescan every interval, a version without a final
 * newline held back until it settles) and applies each version's states and TTLs as soon as it is read, all at once.
 * Monitor mode, gdnsd's default, reads the file every interval and counts each address's state as one check result,
 * through the anti-flap thresholds; TTLs in the file are ignored. While the file is missing, monitor mode counts
 * nothing (gdnsd: "no updates applied"), nor for a round whose version has no final newline yet.
 *
 * <p>A malformed line is logged once per version of the file, {@code file:line: what (expected: ...)}, counted, and
 * skipped; the other lines apply (gdnsd instead ignores the whole file). An empty file lists nothing: every address
 * takes its default. A file missing at start leaves the monitors UP until it exists. A removed file (still missing a
 * second later) means, in direct mode, that nothing is overridden any more: every address takes its default, as
 * when the file is emptied (gdnsd keeps the states last read; here the file is the administrator's, as /etc/lb's other
 * files, whose removal ends what they asked); in monitor mode, it keeps the states last read and counts nothing. When an address appears twice, the last line wins; an address not in the file gets the service
 * type's default ({@code defDown}, {@code defTtl}), with a warning whenever the set of such addresses changes.
 * Everything runs on the {@link HealthTable}'s serial executor.
 */
final class ExtFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExtFile.class.getName());

  private final String serviceTypeName;
  private final ServiceType type;
  private final Path file;
  private final HealthTable table;
  private final CheckScheduler scheduler;
  private final List<Monitor> monitors = new ArrayList<>();
  /** The states of the last version read; null until one was. */
  private Map<String, HealthState> states;
  /** Whether the file exists (as last seen). */
  private boolean present;
  /** The addresses of monitors not in the last version, as last reported. */
  private Set<String> defaulted = new LinkedHashSet<>();
  /** Direct mode: the file's watch. */
  private StateFile watch;
  /** Monitor mode: the text last read, and a version without a final newline held back for a round. */
  private String lastRead;
  private String heldBack;
  private CheckScheduler.Cancellable tick;
  private boolean closed;

  private ExtFile(String serviceTypeName, ServiceType type, Path file, HealthTable table, CheckScheduler scheduler) {
    this.serviceTypeName = serviceTypeName;
    this.type = type;
    this.file = file;
    this.table = table;
    this.scheduler = scheduler;
  }

  /**
   * Reads the file now (on {@code serial}, the caller's thread) and watches it; monitor mode also starts counting
   * every interval.
   */
  static ExtFile start(String serviceTypeName, ServiceType type, Path file, HealthTable table,
      CheckScheduler scheduler, Executor serial) {
    ExtFile f = new ExtFile(serviceTypeName, type, file, table, scheduler);
    if (type.direct()) {
      f.watch = StateFile.watch(file, type.interval(), scheduler, serial, f::read);
    } else {
      f.readRound();
      f.tick = scheduler.schedule(type.interval(), () -> serial.execute(f::count));
    }
    return f;
  }

  Path file() {
    return file;
  }

  /** The service type this file was started for. */
  ServiceType type() {
    return type;
  }

  /** Adds a monitor of this file and gives it its first state (gdnsd's initial round). */
  void add(Monitor m) {
    m.extFile = this;
    monitors.add(m);
    if (states == null || (!type.direct() && !present)) {
      m.lastCheck = present ? "extfile: no data yet" : "extfile: no such file";
      m.firstResult.complete(null);
      return;
    }
    String address = Addresses.toText(m.spec.address());
    if (!states.containsKey(address) && defaulted.add(address)) {
      warnDefaulted(Set.of(address));
    }
    if (type.direct()) {
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

  /**
   * Monitor mode: reads the file for this round; whether its states count as this round's results. A version without a
   * final newline (a writer at work) counts only if it is still there the next round.
   */
  private boolean readRound() {
    String text = StateFile.read(file);
    if (text == StateFile.UNREADABLE) {
      return false;
    }
    if (text == null) {
      if (present || states == null && lastRead == null) {
        read(Optional.empty(), false);
        lastRead = "";
      }
      return false;
    }
    boolean unfinished = !text.endsWith("\n");
    if (unfinished && !text.equals(heldBack)) {
      heldBack = text;
      return false;
    }
    heldBack = null;
    if (!present || !text.equals(lastRead)) {
      lastRead = text;
      read(Optional.of(text), unfinished);
    }
    return true;
  }

  private void read(Optional<String> content, boolean unfinished) {
    if (closed) {
      return;
    }
    if (content.isEmpty()) {
      boolean removed = present || states != null;
      present = false;
      if (type.direct() && removed) {
        // Direct mode holds an administrator's final states: without the file nothing is overridden any more.
        LOG.info(file + ": removed (service type " + serviceTypeName + "): every address takes its default, "
            + (type.defDown() ? "DOWN" : "UP"));
        states = Map.of();
        defaulted = new LinkedHashSet<>();
        apply(monitors);
        return;
      }
      LOG.warning(file + (removed ? ": removed" : ": no such file") + " (service type "
          + serviceTypeName + "): " + (states == null ? "its monitors stay UP until it exists"
          : "the states last read stay") + (type.direct() ? "" : "; no result is counted until it is back"));
      return;
    }
    present = true;
    String text = content.get();
    if (unfinished && text.isEmpty()) {
      LOG.info(file + ": empty: every address takes its default, " + (type.defDown() ? "DOWN" : "UP"));
    } else if (unfinished) {
      table.halfWrittenFile();
      LOG.warning(file + (text.isEmpty() ? ": empty" : ": no newline at the end of the last line") + ", still after "
          + (type.direct() ? DurationText.of(StateFile.SETTLE) : "an interval") + ": read as it is");
    }
    StateLines lines = StateLines.parse(text, type.defTtl());
    for (String error : lines.errors()) {
      table.badLine();
      LOG.warning(file + ":" + error + "; line skipped");
    }
    Map<String, HealthState> next = new HashMap<>();
    for (StateLines.Entry e : lines.entries()) {
      Optional<InetAddress> address = Addresses.parseLiteral(e.key());
      if (address.isEmpty()) {
        table.badLine();
        LOG.warning(file + ":" + e.line() + ": " + e.key() + ": not an IP address (expected: ADDRESS => UP or DOWN,"
            + " optionally /TTL); line skipped");
        continue;
      }
      next.put(Addresses.toText(address.get()), e.state());
    }
    states = next;
    Set<String> missing = new LinkedHashSet<>();
    for (Monitor m : monitors) {
      String address = Addresses.toText(m.spec.address());
      if (!states.containsKey(address)) {
        missing.add(address);
      }
    }
    if (!missing.equals(defaulted)) {
      warnDefaulted(missing);
    }
    defaulted = missing;
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
    List<Monitor> all = List.copyOf(which);
    table.batch(all, () -> {
      for (Monitor m : all) {
        boolean listed = states.containsKey(Addresses.toText(m.spec.address()));
        HealthState s = stateOf(m);
        table.observed(m, s, "extfile: " + (listed ? s : (present ? "not in the file" : "no file") + ", default " + s));
      }
    });
  }

  /** Monitor mode, every interval: each address's state in the file counts as one check result. */
  private void count() {
    if (closed) {
      return;
    }
    tick = scheduler.schedule(type.interval(), () -> table.execute(this::count));
    if (readRound()) {
      count(monitors);
    }
  }

  private void count(List<Monitor> which) {
    List<Monitor> all = List.copyOf(which);
    table.batch(all, () -> {
      for (Monitor m : all) {
        boolean listed = states.containsKey(Addresses.toText(m.spec.address()));
        boolean ok = !stateOf(m).down();
        table.observed(m, m.antiFlap.record(ok), "extfile: " + (ok ? "UP" : "DOWN") + (listed ? "" : " (default)"));
      }
    });
  }

  private void warnDefaulted(Set<String> addresses) {
    if (!addresses.isEmpty()) {
      LOG.warning(file + ": " + String.join(", ", addresses) + " not in the file: " + (type.defDown() ? "DOWN" : "UP")
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
