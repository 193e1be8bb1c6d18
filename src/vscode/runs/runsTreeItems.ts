// How each kind of trace node looks in the Runs view: one TreeItem class per kind (run, phase,
// group, slot, agent). Items are built fresh from the trace whenever the view asks, so they are
// plain snapshots; `id` ties them to the node, which keeps expansion and selection across updates.
// Tooltips are Markdown built only on hover (resolveTreeItem): a 1000-agent refresh must not build
// 1000 Markdown strings nobody looks at. Labels, titles, prompts, results and errors come from the
// script and the model: labels are escaped to one visible line, and in tooltips every untrusted
// string is Markdown-escaped or fenced, so none becomes a link, an image fetched on hover, or HTML.
import * as vscode from 'vscode';
import {
  countsText,
  heldText,
  pausedText,
  runCounts,
  spendText,
  usd,
  worktreeText,
  markdownEscape,
  markdownFence,
  oneLine,
  shorten,
  type CountsContext,
  type ErrorInfo,
  type TokenUsage,
  type AgentNode,
  type GroupNode,
  type PhaseNode,
  type RunNode,
  type SlotNode,
  type TraceSummary,
} from '../../core';
import * as path from 'node:path';
import { agentIcon, containerIcon, runIcon } from '../ui/icons';
import { errorHeadline, join, span, tokens } from '../ui/format';
import { COMMANDS } from '../commandIds';

/** Groups with more slots than this start collapsed (slots too): their counts say enough at first sight. */
export const BIG_GROUP = 50;

const MAX_TOOLTIP_PREVIEW = 400;

/** Command a run node runs when selected: its log and result in a read-only document. */
export const SHOW_RUN_COMMAND = COMMANDS.showRun;

/** Command an agent node runs when clicked: its transcript, rendered. */
export const OPEN_TRANSCRIPT_COMMAND = COMMANDS.openTranscript;

/**
 * A container's progress and tokens, the same text the CodeLens and status bar derive (runCounts):
 * `312 of ≥1000 done · 4 running · 1 failed · 1.2k tok`; empty before its first agent.
 */
export function progress(c: Readonly<TraceSummary>, ctx: CountsContext): string {
  return countsText(runCounts(c, ctx));
}

/** USD this run spent on a subtree (replayed agents' cost was spent by an earlier run). */
function spentCost(c: Readonly<TraceSummary>, ctx: CountsContext): string {
  return cost(runCounts(c, ctx).spent);
}

/** USD spent, when the runner priced the model: `$0.042`. */
export function cost(u: TokenUsage): string {
  if (!u.costUsd) return '';
  return usd(u.costUsd);
}

/** Untrusted text as a fenced block in a tooltip, cut visibly (the document shows all of it). */
function codeBlock(text: string): string {
  return '\n' + markdownFence(shorten(text, MAX_TOOLTIP_PREVIEW), 'text');
}

/** A tooltip from Markdown whose untrusted parts are already escaped: no commands, no HTML, no icons. */
function tooltip(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** A tree label or description: one line, nothing hidden (trees render neither Markdown nor icons here). */
function label(text: string): string {
  return oneLine(text);
}

function resultText(result: unknown): string {
  return typeof result === 'string' ? result : (JSON.stringify(result, null, 2) ?? String(result));
}

/** Shown while the script runs a synchronous slice of over a second (tree and status bar). */
export const COMPUTING_TEXT = 'script computing…';

export class RunItem extends vscode.TreeItem {
  /** `waiting`: agents of this run waiting for an approval; `planned`: the agents its script always starts. */
  constructor(
    runId: string,
    node: RunNode | undefined,
    fallbackName: string,
    now: number,
    args: unknown[],
    waiting = 0,
    planned?: number,
  ) {
    super(
      label(node?.label && node.label !== '(run)' ? node.label : fallbackName),
      vscode.TreeItemCollapsibleState.Expanded,
    );
    this.id = `${runId}/run`;
    const state = node?.state ?? 'running';
    // A live run waiting out the usage limit shows the pause icon; it is still running underneath.
    this.iconPath = runIcon(node?.paused ? 'paused' : state);
    // `run.finished.error`: a failed run with a script error offers Go to Error (menus match /^run\.finished/);
    // `.failed` and `.stopped` offer an inline Resume.
    this.contextValue =
      state === 'running'
        ? 'run.running'
        : state === 'failed' && node?.error
          ? 'run.finished.error'
          : state === 'failed' || state === 'stopped' || state === 'paused'
            ? `run.finished.${state}`
            : 'run.finished';
    this.command = { command: SHOW_RUN_COMMAND, title: 'Show Run Log and Result', arguments: args };
    if (!node) {
      this.description = 'starting…';
      return;
    }
    const ctx: CountsContext = { final: state !== 'running', waiting, planned };
    // `7/7 done` first: the one number a person looks for; then what is moving, tokens, time, cost.
    // With a priced plan, agents and dollars against it come before the time (issue 11 item 5).
    const counts = runCounts(node.counts, ctx);
    const spend = spendText({ counts, plan: node.plan, earlierUsd: node.earlierCostUsd }).short;
    this.description = label(
      join(
        node.computing && COMPUTING_TEXT,
        countsText(counts),
        node.plan && spend,
        span(node.startedAt, node.endedAt, now),
        !node.plan && spend,
      ),
    );
    // A paused run leads with why: the cap that held it (what the person decides on) or the usage limit it waits for.
    if (node.paused) this.description = label(join(pausedText(node.paused), this.description));
    // A failed run leads with what went wrong and where: the numbers matter less then.
    if (state === 'failed' && node.error)
      this.description = label(
        join(shortError(node.error), node.error.location && `line ${node.error.location.line}`, this.description),
      );
  }
}

/** Longest error headline in a run's description; the tooltip has all of it. */
const MAX_ERROR_DESCRIPTION = 80;

function shortError(error: ErrorInfo): string {
  const text = errorHeadline(error);
  return text.length > MAX_ERROR_DESCRIPTION ? `${text.slice(0, MAX_ERROR_DESCRIPTION - 1)}…` : text;
}

export function runTooltip(runId: string, node: RunNode | undefined): vscode.MarkdownString {
  const md = tooltip(
    `**${markdownEscape(node?.label ?? runId)}** — ${markdownEscape(node?.state ?? 'starting')}${node?.description ? `\n\n${markdownEscape(node.description)}` : ''}\n\nRun ${markdownEscape(runId)}`,
  );
  if (node?.paused)
    md.appendMarkdown(
      `\n\n${markdownEscape(pausedText(node.paused))}. ${node.paused.reason === 'usage-limit' ? 'It continues by itself when the limit reopens.' : '**Raise Cap and Continue** continues it.'}`,
    );
  if (node && (node.plan || node.counts.total > 0)) {
    const counts = runCounts(node.counts, { final: node.state !== 'running' });
    const { detail } = spendText({ counts, plan: node.plan, earlierUsd: node.earlierCostUsd });
    md.appendMarkdown(`\n\n${detail.map(markdownEscape).join('  \n')}`);
  }
  if (node?.error) {
    const loc = node.error.location;
    const where = loc ? ` at ${markdownEscape(`${path.basename(loc.file)}:${loc.line}:${loc.column}`)}` : '';
    md.appendMarkdown(`\n\n**${markdownEscape(node.error.name)}**${where}:${codeBlock(node.error.message)}`);
    if (loc?.frame) md.appendMarkdown(`\n${markdownFence(loc.frame, 'text')}`);
  } else if (node?.result !== undefined) md.appendMarkdown(`\n\n**Result:**${codeBlock(resultText(node.result))}`);
  return md;
}

export class PhaseItem extends vscode.TreeItem {
  constructor(runId: string, node: PhaseNode, hasChildren: boolean, ctx: CountsContext) {
    super(
      label(node.title),
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    this.id = `${runId}/${node.id}`;
    this.iconPath = containerIcon(node.counts) ?? new vscode.ThemeIcon('circle-large-outline');
    this.description = label(join(progress(node.counts, ctx), spentCost(node.counts, ctx)));
    this.contextValue = 'phase';
  }
}

export function isBigGroup(node: GroupNode): boolean {
  return node.groupKind !== 'workflow' && node.size > BIG_GROUP;
}

export class GroupItem extends vscode.TreeItem {
  constructor(runId: string, node: GroupNode, ctx: CountsContext) {
    super(
      label(node.label),
      isBigGroup(node) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    );
    this.id = `${runId}/${node.id}`;
    this.iconPath =
      containerIcon(node.counts, node.failedSlots.length > 0) ??
      new vscode.ThemeIcon(node.groupKind === 'pipeline' ? 'list-ordered' : 'split-horizontal');
    this.description = label(
      join(progress(node.counts, ctx), spentCost(node.counts, ctx), node.site && `line ${node.site.line}`),
    );
    this.contextValue = `group.${node.groupKind}`;
  }
}

export function groupTooltip(node: GroupNode): vscode.MarkdownString {
  const md = tooltip(
    `**${markdownEscape(node.label)}** — ${node.groupKind}${node.size ? ` of ${node.size}` : ''}${node.site ? ` · line ${node.site.line}` : ''}`,
  );
  if (node.counts.total) md.appendMarkdown(`\n\n${markdownEscape(progress(node.counts, { final: node.ended }))}`);
  if (node.failedSlots.length)
    md.appendMarkdown(
      `\n\nFailed slots: ${markdownEscape(node.failedSlots.slice(0, 20).join(', '))}${node.failedSlots.length > 20 ? ` … (${node.failedSlots.length - 20} more)` : ''}`,
    );
  return md;
}

export class SlotItem extends vscode.TreeItem {
  /**
   * `inBigGroup`: a 1000-slot group opened by the person should not open 1000 slots with it.
   * `item`: what the slot works on (`[3] report.md`): the pipeline item or the label the script gave.
   */
  constructor(
    runId: string,
    node: SlotNode,
    hasChildren: boolean,
    inBigGroup: boolean,
    ctx: CountsContext,
    item?: string,
  ) {
    super(
      label(item ? `${node.label} ${item}` : node.label),
      !hasChildren
        ? vscode.TreeItemCollapsibleState.None
        : inBigGroup
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded,
    );
    this.id = `${runId}/${node.id}`;
    this.iconPath = containerIcon(node.counts, node.failed);
    this.description = label(join(progress(node.counts, ctx), node.failed && 'failed'));
    this.contextValue = 'slot';
  }
}

export class AgentItem extends vscode.TreeItem {
  constructor(runId: string, node: AgentNode, now: number) {
    super(label(node.label), vscode.TreeItemCollapsibleState.None);
    this.id = `${runId}/${node.id}`;
    const toolErrors = node.state === 'done' ? (node.toolErrors ?? 0) : 0;
    this.iconPath = agentIcon(node.state, toolErrors > 0);
    // Held by a cap as the run paused: it never started and starts when the run continues.
    const held = node.state === 'queued' && node.held;
    const stage = node.position.stage !== undefined ? `stage ${node.position.stage + 1}` : undefined;
    const attempt = node.attempt && node.attempt > 1 ? `attempt ${node.attempt}` : undefined;
    const worktree = node.worktree && (node.worktree.kept ? `worktree ${node.worktree.branch}` : 'worktree removed');
    // A queued agent has not started: no time shown, so nothing ticks while it waits for a slot.
    const time = node.state === 'queued' ? '' : span(node.startedAt, node.endedAt, now);
    // Replayed tokens were spent by an earlier run: said so, and no cost counted again.
    const used =
      node.state === 'cached'
        ? tokens(node.usage) && `${tokens(node.usage)} cached`
        : join(tokens(node.usage), cost(node.usage));
    this.description = label(
      join(
        held ? 'held' : stateText(node.state, toolErrors),
        stage,
        attempt,
        node.state === 'running' && node.toolName,
        worktree,
        node.model,
        used,
        time,
      ),
    );
    // `.worktree`: a kept worktree, for Open Worktree and Compare with Base.
    this.contextValue = `agent.${held ? 'held' : node.state}${node.worktree?.kept ? '.worktree' : ''}`;
    this.command = {
      command: OPEN_TRANSCRIPT_COMMAND,
      title: 'Open Transcript',
      arguments: [{ runId, nodeId: node.id }],
    };
  }
}

/** The state in words where the icon alone could be mistaken (everything but running and a clean done). */
function stateText(state: AgentNode['state'], toolErrors: number): string {
  if (state === 'done') return toolErrors ? `done with ${toolErrors} tool error${toolErrors === 1 ? '' : 's'}` : '';
  if (state === 'null') return 'failed';
  return state === 'running' ? '' : state;
}

export function agentTooltip(node: AgentNode): vscode.MarkdownString {
  const md = tooltip(
    `**${markdownEscape(node.label)}** — ${node.state}${node.attempt && node.attempt > 1 ? ` (attempt ${node.attempt})` : ''}`,
  );
  if (node.site) md.appendMarkdown(` · line ${node.site.line}`);
  if (node.reason && node.reason !== 'new') md.appendMarkdown(` · ran because: ${markdownEscape(node.reason)}`);
  if (node.promptPreview) md.appendMarkdown(`\n\n**Prompt:**${codeBlock(node.promptPreview)}`);
  if (node.state === 'queued' && node.held) md.appendMarkdown(`\n\n${markdownEscape(heldText(node.held))}`);
  if (node.worktree) md.appendMarkdown(`\n\n**Worktree:** ${markdownEscape(worktreeText(node.worktree))}`);
  if (node.error) md.appendMarkdown(`\n\n**Error:**${codeBlock(node.error.message)}`);
  else if (node.resultPreview) md.appendMarkdown(`\n\n**Result:**${codeBlock(node.resultPreview)}`);
  return md;
}
