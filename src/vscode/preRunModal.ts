// The dialog before a run (spec §6.4, §7 row 7): name, description, phases, a static estimate of
// the agents the script may start and the token caution, with Run / Always run this workflow in
// this workspace / View script / Cancel. It is the controller's run gate, so every way of starting
// or resuming a run passes through it. "Always" is remembered per workspace by meta.name.
import * as vscode from 'vscode';
import type { ParsedScript } from '../core/script';
import { estimateAgents, type AgentEstimate } from '../core/script/estimate';
import { count } from '../core/format';
import type { Dialogs } from './dialogs';
import type { RunGate } from './runController';
import { SECTION, readSettings } from './settings';

export const ALWAYS_RUN_KEY = 'dynamicWorkflows.alwaysRun';
export const BUTTONS = { run: 'Run', always: 'Always Run This Workflow in This Workspace', view: 'View Script' } as const;
export const TOKEN_CAUTION =
  'Dynamic workflows can use a lot of tokens quickly. Stop a running workflow at any time with "Workflows: Stop Run" or the stop button in the Runs view.';

const MAX_GROUP_LINES = 8;

export interface RunRequest {
  script: ParsedScript;
  args: unknown;
  /** The run being resumed. */
  resumeOf?: string;
}

/** The dialog's two texts; pure apart from the budget setting, so tests can compare them. */
export function describeRun(req: RunRequest, budgetTotal: number | null): { message: string; detail: string } {
  const { meta } = req.script;
  const message = req.resumeOf ? `Resume workflow "${meta.name}" (${req.resumeOf})?` : `Run workflow "${meta.name}"?`;
  const lines = [meta.description, ''];
  lines.push(`Phases: ${meta.phases.length ? meta.phases.map((p) => p.title).join(' → ') : 'none declared'}`);
  lines.push(...estimateLines(req.script.source));
  if (req.args !== undefined) lines.push(`Args: ${clip(JSON.stringify(req.args) ?? String(req.args), 200)}`);
  if (req.resumeOf) lines.push('Resuming: agents that already finished are replayed from the journal, not re-run.');
  lines.push(`Budget: ${budgetTotal === null ? 'none (dynamicWorkflows.budget)' : `${count(budgetTotal)} output tokens`}`);
  lines.push(`Script: ${vscode.workspace.asRelativePath(req.script.file)}`, '', TOKEN_CAUTION);
  return { message, detail: lines.join('\n') };
}

function estimateLines(source: string): string[] {
  let e: AgentEstimate;
  try {
    e = estimateAgents(source);
  } catch {
    return ['Estimate: not available'];
  }
  const out = [`Estimate: ${e.summary}`];
  for (const g of e.groups.slice(0, MAX_GROUP_LINES)) {
    const n = `${g.agents}${g.open ? '+' : ''} agent${g.agents === 1 && !g.open ? '' : 's'}`;
    const over = g.over ? ` over ${g.over}` : '';
    const prompts = g.prompts.length ? ` — ${g.prompts.map((p) => `"${clip(p, 50)}"`).join(', ')}` : '';
    out.push(`  • line ${g.line}: ${g.label}${over}, ${n}${prompts}`);
  }
  if (e.groups.length > MAX_GROUP_LINES) out.push(`  • … ${e.groups.length - MAX_GROUP_LINES} more`);
  return out;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export class PreRunModal {
  constructor(
    private readonly state: vscode.Memento,
    private readonly dialogs: Dialogs,
  ) {}

  /** The controller's gate: true to run. */
  readonly gate: RunGate = (req) => this.confirm(req);

  async confirm(req: RunRequest): Promise<boolean> {
    const { name } = req.script.meta;
    if (!vscode.workspace.getConfiguration(SECTION).get<boolean>('confirmBeforeRun', true)) return true;
    if (this.alwaysRun().includes(name)) return true;
    const { message, detail } = describeRun(req, readSettings(vscode.Uri.file(req.script.file)).budgetTotal);
    const answer = await this.dialogs.modal(message, detail, BUTTONS.run, BUTTONS.always, BUTTONS.view);
    if (answer === BUTTONS.run) return true;
    if (answer === BUTTONS.always) {
      await this.state.update(ALWAYS_RUN_KEY, [...this.alwaysRun(), name]);
      return true;
    }
    if (answer === BUTTONS.view) await this.viewScript(req.script);
    return false;
  }

  /** Workflow names that run without asking in this workspace. */
  alwaysRun(): string[] {
    return this.state.get<string[]>(ALWAYS_RUN_KEY, []);
  }

  async forget(name: string): Promise<void> {
    await this.state.update(ALWAYS_RUN_KEY, this.alwaysRun().filter((n) => n !== name));
  }

  /** The file when it is on disk, else the text that would have run. */
  private async viewScript(script: ParsedScript): Promise<void> {
    const uri = vscode.Uri.file(script.file);
    let doc: vscode.TextDocument;
    try {
      await vscode.workspace.fs.stat(uri);
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      doc = await vscode.workspace.openTextDocument({ language: 'javascript', content: script.source });
    }
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
