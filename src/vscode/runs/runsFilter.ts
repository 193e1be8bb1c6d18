// "Filter Runs by State…": a big run shows only the agents a person is looking for (the failed
// ones, the ones waiting for an answer). The provider hides other agents and containers with none
// of them left; the view's description says a filter is on, and a context key offers Clear Filter.
import type { AgentNode, AgentState, TraceSummary } from '../../core';
import { COMMANDS } from '../commandIds';

export const CLEAR_RUNS_FILTER_COMMAND = COMMANDS.clearRunsFilter;
/** True while the Runs view hides agents: shows Clear Filter in the view title. */
export const RUNS_FILTERED_CONTEXT = 'dynamicWorkflows.runsFiltered';

export type RunsFilterState = 'running' | 'waiting' | 'failed' | 'queued' | 'done' | 'stopped';

/** The quick pick's entries: label and the agent states each one keeps. */
export const RUNS_FILTERS: Readonly<Record<RunsFilterState, { label: string; states: readonly AgentState[] }>> = {
  running: { label: 'running', states: ['running'] },
  waiting: { label: 'waiting for approval', states: ['running'] },
  failed: { label: 'failed', states: ['failed', 'null'] },
  queued: { label: 'queued', states: ['queued'] },
  done: { label: 'done', states: ['done', 'cached'] },
  stopped: { label: 'stopped or skipped', states: ['stopped', 'skipped'] },
};

/** Whether an agent passes the filter; `waiting`: it has an open approval question. */
export function agentMatches(filter: RunsFilterState, agent: AgentNode, waiting: boolean): boolean {
  if (filter === 'waiting') return waiting;
  // A running agent waiting for an answer is listed under "waiting", not "running".
  if (filter === 'running' && waiting) return false;
  return RUNS_FILTERS[filter].states.includes(agent.state);
}

/** Whether a container may hold a matching agent (its counts say; waiting agents count as running). */
export function containerMayMatch(filter: RunsFilterState, counts: Readonly<TraceSummary>): boolean {
  return RUNS_FILTERS[filter].states.some((s) => counts.byState[s] > 0);
}
