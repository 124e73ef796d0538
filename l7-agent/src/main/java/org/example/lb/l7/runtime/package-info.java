/**
 * Typed client for HAProxy 2.6's runtime API and master CLI over Unix sockets.
 *
 * <ul>
 *   <li>{@link org.example.lb.l7.runtime.RuntimeSocket}: the stats socket ({@code stats socket
 *       <path> level admin}): show stat / servers state / info, set server state, weight, agent,
 *       health, maxconn, enable/disable checks, add/del server, raw commands.
 *   <li>{@link org.example.lb.l7.runtime.MasterCli}: the master socket ({@code haproxy -W -S
 *       <path>}): show proc, reload and waiting for the new worker.
 * </ul>
 *
 * <p>Each call is one connection in non-interactive mode, read until HAProxy closes it; there is
 * no shared state, so clients are thread-safe. Replies are parsed by their header lines, so extra
 * or reordered columns are tolerated. Protocol codes are small value types whose {@code valueOf}
 * keeps unknown codes; bitmasks keep their exact bits next to the decoded flags.
 */
package org.example.lb.l7.runtime;
