// "Find Agent…" (Runs view title, issue 10 item 7): a quick pick over every agent of the selected or
// newest run — state icon, label, where it sits (phase › group › slot item › stage), tokens — that
// reveals the picked one even inside collapsed groups, through the provider's getParent chain. A
// state filter hiding the agent is cleared first, since reveal cannot reach a hidden node.
import * as vscode from 'vscode';
import { plainLabel, type AgentNode, type RunTrace, type TraceNode } from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { RunController, RunSession } from '../runs/runController';
import type { RunsElement, RunsTreeProvider } from '../runs/runsTree';
import type { Approvals } from '../approvals/approvals';
import { agentIcon } from '../ui/icons';
import { join, tokens } from '../ui/format';
import { CLEAR_RUNS_FILTER_COMMAND } from '../runs/runsFilter';

export interface AgentPick extends vscode.QuickPickItem {
  nodeId: string;
}

export interface FindAgentDeps {
  controller: RunController;
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<RunsElement>;
  dialogs: Dialogs;
  approvals?: Approvals;
}

/** Every agent of a trace in tree order, with the containers above it (run excluded). */
export function agentsWithPath(trace: RunTrace): { node: AgentNode; path: string[] }[] {
  const out: { node: AgentNode; path: string[] }[] = [];
  const walk = (n: TraceNode, path: string[]) => {
    for (const c of trace.children(n.id)) {
      if (c.kind === 'agent')
        out.push({ node: c, path: c.position.stage !== undefined ? [...path, `stage ${c.position.stage + 1}`] : path });
      else walk(c, [...path, c.kind === 'slot' && c.item ? `${c.label} ${c.item}` : c.label]);
    }
  };
  const root = trace.root;
  if (root) walk(root, []);
  return out;
}

/** The quick pick's entries: `$(pass) review:cart`, `done · 1.2k tok`, `Review › parallel ×3 › [0] cart.js`. */
export function agentPicks(session: RunSession, approvals?: Approvals): AgentPick[] {
  return agentsWithPath(session.trace).map(({ node, path }) => {
    const waiting = node.state === 'running' && !!approvals?.forAgent(session.runId, node.agentId);
    const icon = waiting ? 'shield' : agentIcon(node.state, node.state === 'done' && (node.toolErrors ?? 0) > 0).id;
    const state = waiting ? 'waiting for approval' : node.state === 'null' ? 'failed' : node.state;
    return {
      // Labels and items come from the script: escaped, so `$(…)` in them shows as text, not an icon.
      label: `$(${icon}) ${plainLabel(node.label)}`,
      description: join(state, tokens(node.usage)),
      detail: plainLabel(path.join(' › ') || '(top level)'),
      nodeId: node.id,
    };
  });
}

/** The run Find Agent searches: the one selected in the Runs view, else the newest. */
function targetRun(deps: FindAgentDeps, runId?: string): RunSession | undefined {
  const id = runId ?? deps.runsView.selection[0]?.runId;
  return (id ? deps.controller.get(id) : undefined) ?? deps.controller.list().at(-1);
}

/** Picks an agent and reveals it selected and focused; returns its node id (tests read it). */
export async function findAgent(deps: FindAgentDeps, runId?: string): Promise<string | undefined> {
  const session = targetRun(deps, runId);
  if (!session) {
    void vscode.window.showInformationMessage('No workflow run to search: start one first.');
    return undefined;
  }
  const items = agentPicks(session, deps.approvals);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`${plainLabel(session.name)} has no agents yet.`);
    return undefined;
  }
  const pick = await deps.dialogs.pick(items, {
    title: `Find Agent in ${plainLabel(session.name)} (${items.length})`,
    placeHolder: 'Type a label, a state or a slot item (file name, topic)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick) return undefined;
  const element = deps.runsTree.nodeElement(session.runId, pick.nodeId);
  if (deps.runsTree.hidden(element)) await vscode.commands.executeCommand(CLEAR_RUNS_FILTER_COMMAND);
  // Level by level from the top: the workbench knows a node only once its parent's children were
  // fetched, and one reveal of a deep node stops at the first ancestor it has not loaded yet.
  const chain: RunsElement[] = [];
  for (let p = deps.runsTree.getParent(element); p; p = deps.runsTree.getParent(p)) chain.unshift(p);
  for (const ancestor of chain) await deps.runsView.reveal(ancestor, { select: false, focus: false, expand: true });
  await deps.runsView.reveal(element, { select: true, focus: true });
  return pick.nodeId;
}
