/**
 * Agents: the master's supervision on other hosts. An agent is the master's jar without the edge
 * (its own home, reaper and {@link io.overseer.master.supervision.ProcessSupervisor}); the master's
 * {@link io.overseer.master.agent.AgentDesk} decides how many of each app run on which host ({@link
 * io.overseer.master.agent.Placement}), routes the agents' workers and shows every host's
 * processes.
 */
package io.overseer.master.agent;
