/**
 * Health checks shared by every tier: blocking probes ({@link org.example.lb.common.health.Probe#httpGet HTTP GET},
 * {@link org.example.lb.common.health.Probe#tcpConnect TCP connect}) that never throw, the rise/fall state machine
 * ({@link org.example.lb.common.health.RiseFall}), and {@link org.example.lb.common.health.PeriodicCheck}, which
 * runs a probe every interval on a virtual thread and reports results and up/down transitions on a serialized
 * executor. The semantics are keepalived's ({@code HTTP_GET}, {@code TCP_CHECK}, {@code rise}/{@code fall},
 * {@code alpha}) and gdnsd's monitors ({@code http_status}, {@code tcp_connect}).
 */
package org.example.lb.common.health;
