/**
 * When and how the speaker announces: ExaBGP's {@code healthcheck} program in Java. A {@link
 * org.example.lb.bgp.health.HealthCheck} runs a {@link org.example.lb.bgp.health.HealthSource} (the local
 * l4-director's quorum, a command, an HTTP GET) and tells a listener of each {@link
 * org.example.lb.bgp.health.HealthState} change with the {@link org.example.lb.bgp.health.Advertisement} to put in
 * force; the {@code gobgp} package applies it.
 *
 * <p>Same as ExaBGP's healthcheck: the states (INIT, DISABLED, RISING, FALLING, UP, DOWN, EXIT) and their
 * transitions, rise/fall counting (a flap while UP goes FALLING → RISING and needs {@code rise} passes again), the
 * shortcuts for rise or fall of 1, the fast interval in RISING and FALLING, the disable file (checked before the
 * command, which then does not run), the DISABLED → INIT step that ignores that round's result, INIT/RISING/FALLING
 * leaving the previous announcement in place, UP announcing the base MED, DOWN withdrawing with
 * {@code withdrawOnDown} and otherwise announcing a worse MED, EXIT withdrawing, hooks with {@code STATE} in the
 * environment run on every change but not on EXIT (state-specific ones first, then {@code execute}), a check killed
 * with its process tree at its timeout.
 *
 * <p>Deliberate differences:
 * <ul>
 *   <li>DISABLED withdraws. ExaBGP announces with {@code --disabled-metric} (500) unless {@code --withdraw-on-down};
 *       here maintenance always drains.</li>
 *   <li>DOWN's MED is {@code med + increase} ({@link org.example.lb.bgp.health.HealthSettings#increase()}, default
 *       900 so 100/1000 as ExaBGP's defaults). ExaBGP's DOWN MED is the absolute {@code --down-metric}, and its
 *       {@code --increase} (default 1) is something else: the i-th advertised IP gets the state's metric plus
 *       {@code i × increase} (with {@code --start-ip} rotating which IP is first, so that several servers prefer
 *       different IPs). That per-prefix step is not implemented: every prefix of the service gets the same MED;
 *       the announcer can add a per-prefix offset if ever needed.</li>
 *   <li>INIT is followed by the fast interval, not the normal one: after the disable file is removed the service
 *       starts rising one fast interval later instead of a full interval.</li>
 *   <li>The disable file's appearance or removal is noticed at once (inotify, plus a 1s rescan), not at the next
 *       round; a check running then is abandoned.</li>
 *   <li>Listeners are told on state changes only (ExaBGP's {@code --debounce}): gobgpd keeps the RIB, so nothing
 *       is re-sent every round.</li>
 *   <li>Hooks run off the loop (ExaBGP runs them synchronously, without timeout, output discarded), each with a
 *       timeout, their exit status and output tail logged.</li>
 *   <li>The check's timeout abandons a check that ignores its own; {@code interval} 0 ("exit after the first
 *       announcement") does not exist.</li>
 * </ul>
 */
package org.example.lb.bgp.health;
