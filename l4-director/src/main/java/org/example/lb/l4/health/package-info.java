/**
 * Health of the LB7s as the director sees it: {@link org.example.lb.l4.health.Lb7Health} runs two checks per LB7
 * (HTTP GET of {@code /healthcheck} and TCP connect, keepalived's {@code HTTP_GET} and {@code TCP_CHECK}) and
 * combines them into a {@link org.example.lb.l4.forward.BackendState}; {@link org.example.lb.l4.health.Quorum}
 * decides from the weights of the UP LB7s whether the service is up (keepalived's {@code quorum} and
 * {@code hysteresis}). Probes and timers come from {@code org.example.lb.common.health}.
 */
package org.example.lb.l4.health;
