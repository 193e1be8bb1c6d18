// How each kind of trace node looks in the Runs view: one TreeItem class per kind (run, phase,
// group, slot, agent). Items are built fresh from the trace whenever the view asks, so they are
// plain snapshots; `id` ties them to the node, which keeps expansion and selection across updates.
import * as vscode from 'vscode';
import type { AgentNode, GroupNode, PhaseNode, RunNode, SlotNode, TraceSummary } from '../core/run/trace';
import { agentIcon, containerIcon, runIcon } from './icons';
import { join, span, tokens } from './format';

/** Groups with more slots than this start collapsed: their counts say enough at first sight. */
export const BIG_GROUP = 20;

const MAX_TOOLTIP_PREVIEW = 400;

/** `done/total` with the failures called out, e.g. `3/5 · 1 failed`. */
function progress(c: Readonly<TraceSummary>): string {
  if (c.total === 0) return '';
  const s = c.byState;
  const finished = s.done + s.cached + s.null + s.skipped + s.failed + s.stopped;
  const bad = s.failed + s.null;
  return join(`${finished}/${c.total}`, bad > 0 && `${bad} failed`);
}

function codeBlock(text: string): string {
  const cut = text.length > MAX_TOOLTIP_PREVIEW ? text.slice(0, MAX_TOOLTIP_PREVIEW) + '…' : text;
  return '\n```text\n' + cut.replace(/```/g, "'''") + '\n```\n';
}

export class RunItem extends vscode.TreeItem {
  constructor(runId: string, node: RunNode | undefined, fallbackName: string, now: number) {
    super(node?.label && node.label !== '(run)' ? node.label : fallbackName, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `${runId}/run`;
    const state = node?.state ?? 'running';
    this.iconPath = runIcon(state);
    this.contextValue = state === 'running' ? 'run.running' : 'run.finished';
    if (node) {
      this.description = join(progress(node.counts) && `${progress(node.counts)} agents`, tokens(node.counts.usage), span(node.startedAt, node.endedAt, now));
      const md = new vscode.MarkdownString(`**${node.label}** — ${state}${node.description ? `\n\n${node.description}` : ''}\n\nRun \`${runId}\``);
      if (node.error) md.appendMarkdown(`\n\n**Error:**${codeBlock(node.error.message)}`);
      else if (node.result !== undefined) md.appendMarkdown(`\n\n**Result:**${codeBlock(typeof node.result === 'string' ? node.result : JSON.stringify(node.result, null, 2))}`);
      this.tooltip = md;
    } else {
      this.description = 'starting…';
    }
  }
}

export class PhaseItem extends vscode.TreeItem {
  constructor(runId: string, node: PhaseNode, hasChildren: boolean) {
    super(node.title, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    this.id = `${runId}/${node.id}`;
    this.iconPath = containerIcon(node.counts) ?? new vscode.ThemeIcon('circle-large-outline');
    this.description = join(progress(node.counts), tokens(node.counts.usage));
    this.contextValue = 'phase';
  }
}

export class GroupItem extends vscode.TreeItem {
  constructor(runId: string, node: GroupNode) {
    const big = node.groupKind !== 'workflow' && node.size > BIG_GROUP;
    super(node.label, big ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    this.id = `${runId}/${node.id}`;
    this.iconPath = containerIcon(node.counts, node.failedSlots.length > 0) ?? new vscode.ThemeIcon(node.groupKind === 'pipeline' ? 'list-ordered' : 'split-horizontal');
    this.description = join(progress(node.counts), tokens(node.counts.usage), node.site && `line ${node.site.line}`);
    this.contextValue = `group.${node.groupKind}`;
  }
}

export class SlotItem extends vscode.TreeItem {
  constructor(runId: string, node: SlotNode, hasChildren: boolean) {
    super(node.label, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    this.id = `${runId}/${node.id}`;
    this.iconPath = containerIcon(node.counts, node.failed);
    this.description = join(progress(node.counts), tokens(node.counts.usage), node.failed && 'failed');
    this.contextValue = 'slot';
  }
}

export class AgentItem extends vscode.TreeItem {
  constructor(runId: string, node: AgentNode, now: number) {
    super(node.label, vscode.TreeItemCollapsibleState.None);
    this.id = `${runId}/${node.id}`;
    this.iconPath = agentIcon(node.state);
    const stage = node.position.stage !== undefined ? `stage ${node.position.stage + 1}` : undefined;
    this.description = join(stage, node.model, tokens(node.usage), span(node.startedAt ?? node.queuedAt, node.endedAt, now));
    this.contextValue = `agent.${node.state}`;
    const md = new vscode.MarkdownString(`**${node.label}** — ${node.state}${node.attempt && node.attempt > 1 ? ` (attempt ${node.attempt})` : ''}`);
    if (node.site) md.appendMarkdown(` · line ${node.site.line}`);
    if (node.promptPreview) md.appendMarkdown(`\n\n**Prompt:**${codeBlock(node.promptPreview)}`);
    if (node.error) md.appendMarkdown(`\n\n**Error:**${codeBlock(node.error.message)}`);
    else if (node.resultPreview) md.appendMarkdown(`\n\n**Result:**${codeBlock(node.resultPreview)}`);
    this.tooltip = md;
  }
}
