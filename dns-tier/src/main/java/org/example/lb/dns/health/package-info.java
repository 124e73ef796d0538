/**
 * gdnsd's monitoring, for dynamic answers: service types ({@link org.example.lb.dns.health.ServiceType}: http_status,
 * tcp_connect, extfile, static), one monitor per address and service type with gdnsd's anti-flap thresholds and TTLs
 * ({@link org.example.lb.dns.health.AntiFlap}), administrator overrides from an admin_state file, and the
 * {@link org.example.lb.dns.health.HealthTable} that publishes every state as an immutable
 * {@link org.example.lb.dns.health.HealthSnapshot}. Probes and timers are common's
 * ({@link org.example.lb.common.health.PeriodicCheck}); file watching is common's
 * ({@link org.example.lb.common.flags.FlagDirectory}).
 */
package org.example.lb.dns.health;
