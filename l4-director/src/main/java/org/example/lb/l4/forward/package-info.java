/**
 * The director's forwarding path: client packets from the TUN device to the LB7s.
 *
 * <p>The control plane builds an immutable {@link org.example.lb.l4.forward.ForwardingState} (services, LB7s as
 * {@link org.example.lb.l4.forward.BackendSpec}, the {@link org.example.lb.l4.forward.SchedulerKind} and the
 * consistent tables) off the packet path and publishes it through a volatile reference. Each
 * {@link org.example.lb.l4.forward.Worker} owns one TUN queue, its raw sockets and a
 * {@link org.example.lb.l4.forward.Forwarder} (flow table, scheduler state, encapsulator, ICMP rate limit, verdict
 * counters): no locks and no allocation per packet; {@link org.example.lb.l4.forward.Worker#stats()} gives a racy
 * snapshot for status and metrics.
 *
 * <p>Flow rules: a known flow stays on its LB7 while it is UP or DRAINING, whatever else changes; a flow of a DOWN or
 * removed LB7 is rescheduled on its next packet; an unknown flow's TCP packet without SYN is scheduled by a table
 * identical on every director, over UP and DRAINING LB7s, so a flow that ECMP moves between directors keeps its LB7
 * (see {@link org.example.lb.l4.forward.ForwardingState}). Idle timeouts: TCP 900 s, TCP after a client FIN or RST
 * 120 s, UDP 30 s (configurable in {@link org.example.lb.l4.forward.WorkerSettings}).
 */
package org.example.lb.l4.forward;
