// "Filter Runs by State…": a big run shows only the agents a person is looking for (the failed
// ones, the ones waiting for an answer). The provider hides other agents and containers with none
// of them left; the view's description says a filter is on, and a context key offers Clear Filter.
import * as vscode from 'vscode';
import type { AgentNode, AgentState, TraceSummary } from '../../core';
import type { RunsTreeProvider } from './runsTree';

export const FILTER_RUNS_COMMAND = 'dynamicWorkflows.filterRunsByState';
export const CLEAR_RUNS_FILTER_COMMAND = 'dynamicWorkflows.clearRunsFilter';
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

export function registerRunsFilterCommands(
  runsTree: RunsTreeProvider,
  runsView: vscode.TreeView<unknown>,
): vscode.Disposable[] {
  const apply = async (filter: RunsFilterState | undefined) => {
    runsTree.setFilter(filter);
    runsView.description = filter ? `showing ${RUNS_FILTERS[filter].label}` : undefined;
    await vscode.commands.executeCommand('setContext', RUNS_FILTERED_CONTEXT, filter !== undefined);
  };
  return [
    // `state` lets tests and keybindings skip the quick pick.
    vscode.commands.registerCommand(FILTER_RUNS_COMMAND, async (state?: RunsFilterState | 'all') => {
      let pick = state;
      if (pick === undefined) {
        const items = [
          { label: 'all', state: 'all' as const },
          ...Object.entries(RUNS_FILTERS).map(([k, v]) => ({ label: v.label, state: k as RunsFilterState })),
        ];
        pick = (await vscode.window.showQuickPick(items, { title: 'Show agents that are…' }))?.state;
      }
      if (pick === undefined) return;
      if (pick !== 'all' && !(pick in RUNS_FILTERS))
        throw new Error(
          `Filter Runs by State: unknown state "${pick}"; use one of all, ${Object.keys(RUNS_FILTERS).join(', ')}.`,
        );
      await apply(pick === 'all' ? undefined : pick);
    }),
    vscode.commands.registerCommand(CLEAR_RUNS_FILTER_COMMAND, () => apply(undefined)),
  ];
}
