package org.example.lb.l7.runtime;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * One process line of the master CLI's {@code show proc}.
 *
 * @param role which section the line was in
 * @param pid the process ID
 * @param type {@code master}, {@code worker}, or a program's name
 * @param reloads the master's reload count, or the number of reloads a worker has survived
 * @param failedReloads the master's failed-reload count ({@code [failed: N]}); empty for others
 * @param relativePid the relative PID column, printed by versions before 2.5 only
 * @param uptime the process's uptime
 * @param version the HAProxy version the process runs ({@code -} for programs)
 */
public record ProcessEntry(
    ProcessRole role,
    int pid,
    String type,
    int reloads,
    OptionalInt failedReloads,
    OptionalInt relativePid,
    Duration uptime,
    String version) {}
