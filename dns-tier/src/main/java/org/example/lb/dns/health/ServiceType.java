package org.example.lb.dns.health;

import static org.example.lb.common.config.Validation.invalid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.common.health.DurationText;

/**
 * How to monitor an address, independently of any address: gdnsd's {@code service_types} (gdnsd.config(5),
 * "SERVICE_TYPES"), one entry of the {@code serviceTypes} mapping of the config. A field that the plugin does not use
 * is an error (gdnsd ignores some of them silently).
 *
 * <pre>
 * serviceTypes:
 *   www:  { plugin: http_status, port: 80, urlPath: /healthcheck, vhost: www.example.org, okCodes: [200, 301],
 *           interval: 10s, timeout: 5s, upThresh: 20, okThresh: 10, downThresh: 10 }
 *   smtp: { plugin: tcp_connect, port: 25, interval: 5s }
 *   ext:  { plugin: extfile, file: www, direct: true, defDown: false, defTtl: 600 }   # file: relative to ext/
 *   fix:  { plugin: static, state: down, ttl: 120 }
 * </pre>
 *
 * <p>The names {@code up} and {@code down} are built in (gdnsd's: always UP, always DOWN, TTL unlimited) and cannot be
 * defined.
 *
 * @param plugin http_status, tcp_connect, extfile or static
 * @param port http_status: default 80; tcp_connect: required
 * @param urlPath http_status: the path to GET, default {@code /}
 * @param vhost http_status: the {@code Host} header; default the address (gdnsd then sends none)
 * @param okCodes http_status: the status codes that pass, default {@code [200]}
 * @param interval http_status, tcp_connect, extfile: time between checks, default 10s (gdnsd: whole seconds 2-3600;
 *     here any positive duration, so tests can run fast)
 * @param timeout http_status, tcp_connect: a check's budget, default half the interval, less than the interval
 * @param upThresh successes in a row to go UP, 1-65535, default 20
 * @param okThresh successes in a row that clear the failures counted while UP, 1-65535, default 10
 * @param downThresh failures (not necessarily in a row) to go DOWN, 1-65535, default 10
 * @param file extfile: the state file, {@code ADDRESS => UP|DOWN[/TTL]} lines; relative to {@code ext/} beside the
 *     config file (gdnsd: {@code /var/lib/gdnsd/extfile/})
 * @param direct extfile: apply the file's states (and TTLs) as they are, as soon as the file changes; default false:
 *     read it every interval and count its states as check results (thresholds apply, TTLs ignored)
 * @param defDown extfile: the state of an address the file does not mention: DOWN if true, default UP
 * @param defTtl extfile, direct: the TTL of a state without one, 1-268435455, default unlimited
 * @param state static: up (default) or down
 * @param ttl static: the state's TTL, 0-268435455, default unlimited
 */
public record ServiceType(Plugin plugin, int port, String urlPath, Optional<String> vhost, List<Integer> okCodes,
    Duration interval, Duration timeout, int upThresh, int okThresh, int downThresh, String file, Boolean direct,
    Boolean defDown, Long defTtl, String state, Long ttl) {

  /** The monitoring plugins (gdnsd-plugin-http_status(8), -tcp_connect(8), -extfile(8), -static(8)). */
  public enum Plugin {
    HTTP_STATUS, TCP_CONNECT, EXTFILE, STATIC;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** gdnsd's built-in {@code up}: always UP, no TTL limit. */
  public static final ServiceType UP = fixed(false, HealthState.MAX_TTL);
  /** gdnsd's built-in {@code down}: always DOWN, no TTL limit. */
  public static final ServiceType DOWN = fixed(true, HealthState.MAX_TTL);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_UP_THRESH = 20;
  public static final int DEFAULT_OK_THRESH = 10;
  public static final int DEFAULT_DOWN_THRESH = 10;

  public ServiceType {
    if (plugin == null) {
      throw invalid("plugin", "missing", "one of http_status, tcp_connect, extfile, static");
    }
    boolean probe = plugin == Plugin.HTTP_STATUS || plugin == Plugin.TCP_CONNECT;
    boolean periodic = probe || plugin == Plugin.EXTFILE;
    only(plugin, "port", port != 0, probe);
    only(plugin, "urlPath", urlPath != null, plugin == Plugin.HTTP_STATUS);
    only(plugin, "vhost", vhost != null && vhost.isPresent(), plugin == Plugin.HTTP_STATUS);
    only(plugin, "okCodes", okCodes != null, plugin == Plugin.HTTP_STATUS);
    only(plugin, "interval", interval != null, periodic);
    only(plugin, "timeout", timeout != null, probe);
    only(plugin, "upThresh", upThresh != 0, periodic);
    only(plugin, "okThresh", okThresh != 0, periodic);
    only(plugin, "downThresh", downThresh != 0, periodic);
    only(plugin, "file", file != null, plugin == Plugin.EXTFILE);
    only(plugin, "direct", direct != null, plugin == Plugin.EXTFILE);
    only(plugin, "defDown", defDown != null, plugin == Plugin.EXTFILE);
    only(plugin, "defTtl", defTtl != null, plugin == Plugin.EXTFILE);
    only(plugin, "state", state != null, plugin == Plugin.STATIC);
    only(plugin, "ttl", ttl != null, plugin == Plugin.STATIC);
    vhost = vhost == null ? Optional.empty() : vhost;
    switch (plugin) {
      case HTTP_STATUS -> {
        port = port == 0 ? 80 : Validation.port("port", port);
        urlPath = urlPath == null ? "/" : urlPath;
        if (!urlPath.startsWith("/") || urlPath.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
          throw invalid("urlPath", urlPath, "an absolute path of printable ASCII without spaces, such as /healthcheck");
        }
        vhost.ifPresent(v -> {
          if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw invalid("vhost", "\"" + v + "\"", "a host name without spaces");
          }
        });
        okCodes = okCodes == null ? List.of(200) : List.copyOf(okCodes);
        if (okCodes.isEmpty() || okCodes.stream().anyMatch(c -> c < 100 || c > 599)) {
          throw invalid("okCodes", okCodes, "a non-empty list of HTTP status codes 100-599");
        }
      }
      case TCP_CONNECT -> {
        if (port == 0) {
          throw invalid("port", "missing", "the port to connect to, 1-65535 (tcp_connect has no default)");
        }
        Validation.port("port", port);
        okCodes = List.of();
      }
      case EXTFILE -> {
        Validation.nonBlank("file", file);
        java.nio.file.Path name;
        try {
          name = java.nio.file.Path.of(file).getFileName();
        } catch (java.nio.file.InvalidPathException e) {
          throw invalid("file", file, "a file name or path");
        }
        if (name == null || name.toString().startsWith(".")) {
          throw invalid("file", file, "a file name not starting with a dot (dotfiles are taken as being written, "
              + "and never read)");
        }
        direct = direct != null && direct;
        defDown = defDown != null && defDown;
        defTtl = defTtl == null ? HealthState.MAX_TTL : defTtl;
        if (defTtl < 1 || defTtl > HealthState.MAX_TTL) {
          throw invalid("defTtl", defTtl, "an integer 1-" + HealthState.MAX_TTL);
        }
        okCodes = List.of();
      }
      case STATIC -> {
        state = state == null ? "up" : state;
        if (!state.equalsIgnoreCase("up") && !state.equalsIgnoreCase("down")) {
          throw invalid("state", state, "up or down");
        }
        state = state.toLowerCase(Locale.ROOT);
        ttl = ttl == null ? HealthState.MAX_TTL : ttl;
        if (ttl < 0 || ttl > HealthState.MAX_TTL) {
          throw invalid("ttl", ttl, "an integer 0-" + HealthState.MAX_TTL);
        }
        okCodes = List.of();
      }
    }
    if (periodic) {
      interval = interval == null ? DEFAULT_INTERVAL : Validation.positive("interval", interval);
      upThresh = upThresh == 0 ? DEFAULT_UP_THRESH : Validation.range("upThresh", upThresh, 1, 65535);
      okThresh = okThresh == 0 ? DEFAULT_OK_THRESH : Validation.range("okThresh", okThresh, 1, 65535);
      downThresh = downThresh == 0 ? DEFAULT_DOWN_THRESH : Validation.range("downThresh", downThresh, 1, 65535);
    }
    if (probe) {
      timeout = timeout == null ? interval.dividedBy(2) : Validation.positive("timeout", timeout);
      if (timeout.compareTo(interval) >= 0) {
        throw invalid("timeout", DurationText.of(timeout), "less than interval (" + DurationText.of(interval) + ")");
      }
    } else if (plugin == Plugin.EXTFILE) {
      timeout = interval.dividedBy(2); // reading the file: never near it
    }
  }

  private static void only(Plugin plugin, String field, boolean present, boolean allowed) {
    if (present && !allowed) {
      throw invalid(field, "set", "no " + field + " for plugin " + plugin);
    }
  }

  private static ServiceType fixed(boolean down, long ttl) {
    return new ServiceType(Plugin.STATIC, 0, null, Optional.empty(), null, null, null, 0, 0, 0, null, null, null,
        null, down ? "down" : "up", ttl);
  }

  /** The state of a static service type. */
  public HealthState fixedState() {
    if (plugin != Plugin.STATIC) {
      throw new IllegalStateException(plugin + " has no fixed state");
    }
    return new HealthState("down".equals(state), ttl);
  }

  /** The extfile's path: {@code file}, relative to {@code extDirectory}. */
  public Path extFile(Path extDirectory) {
    return extDirectory.resolve(file);
  }

  /** gdnsd's anti-flap counters for this type. */
  AntiFlap antiFlap() {
    return new AntiFlap(upThresh, okThresh, downThresh, interval);
  }
}
