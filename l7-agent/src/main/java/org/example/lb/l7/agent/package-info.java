/**
 * The node side of HAProxy's {@code agent-check}: {@link org.example.lb.l7.agent.AgentReply} (grammar and
 * the full-state wire line verified against HAProxy 2.6), {@link org.example.lb.l7.agent.AgentCheckServer}
 * (serves the reply, pushes changes to watchers), {@link org.example.lb.l7.agent.AgentFlagFile} (feeds the
 * server from a flag file such as {@code /etc/lb/agent-check}) and {@link org.example.lb.l7.agent.AgentWatch}
 * (a controller's client of the watch protocol).
 */
package org.example.lb.l7.agent;
