// Filter Runs by State… and Clear Filter: the provider hides agents outside the filter (runsFilter.ts),
// the view's description says a filter is on, and a context key offers Clear Filter.
import * as vscode from 'vscode';
import { RUNS_FILTERED_CONTEXT, RUNS_FILTERS, type RunsFilterState } from './runsFilter';
import type { RunsTreeProvider } from './runsTree';

export function runsFilterCommands(runsTree: RunsTreeProvider, runsView: vscode.TreeView<unknown>) {
  const apply = async (filter: RunsFilterState | undefined) => {
    runsTree.setFilter(filter);
    runsView.description = filter ? `showing ${RUNS_FILTERS[filter].label}` : undefined;
    await vscode.commands.executeCommand('setContext', RUNS_FILTERED_CONTEXT, filter !== undefined);
  };
  return {
    // `state` lets tests and keybindings skip the quick pick.
    filterRunsByState: async (state?: RunsFilterState | 'all') => {
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
    },
    clearRunsFilter: () => apply(undefined),
  };
}
