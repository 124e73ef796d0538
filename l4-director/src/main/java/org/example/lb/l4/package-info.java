/**
 * The L4 director: a userspace data plane that reads client packets from a TUN device, picks an LB7 with a Maglev
 * lookup table (keeping established flows in a per-worker flow table), and tunnels them (IPv4-in-IPv4 or
 * IPv6-in-IPv6) to that LB7, which answers the client directly. Sub-packages by concept: {@code maglev},
 * {@code packet}, {@code tunnel}, {@code flow}, {@code forward} (state, schedulers, worker loop), {@code nativeio},
 * {@code health} (LB7 checks and quorum), {@code director} (the running service), {@code endpoint} (the LB7 side).
 * See docs/l4.md.
 */
package org.example.lb.l4;
