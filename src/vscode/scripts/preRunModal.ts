// The dialog before a run (spec §6.4, §7 row 7) and the controller's run gate, so every way of
// starting or resuming a run passes through it. Run / Always run this version / View script (then
// the dialog again) / Cancel.
//
// The script is untrusted text: its name, description, phases and prompts are bounded, shown with
// invisible characters made visible, and kept below the runtime's own facts (script file and hash,
// estimate, budget, model, the workspace's allow rules) under "Script says", so a long or crafted
// description can neither fake those lines nor push them out of view. "Always run" is pinned to the
// sha256 of the exact script text: another script with the same name, or one changed byte, asks
// again. Allow rules and a model that the workspace's own files bring are shown before a run that
// they would affect, and a new one is shown even when the dialog would be skipped.
import * as vscode from 'vscode';
import {
  largeRun,
  largeRunButton,
  count,
  estimateAgents,
  planLines,
  scriptHash,
  type LargeRun,
  type AgentEstimate,
  type ParsedScript,
  type PricedPlan,
} from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { RunGate } from '../runs/runController';
import { readSettings, type IgnoredSetting } from '../settings/settings';
import { steeringItems, workspaceSteering, type WorkspaceSteering } from '../settings/workspaceSteering';
import { block, oneLine } from '../ui/boundedText';
import { concurrencyLine, modelLine, runShape, type RunShape } from '../runs/runShape';
import { planOfScript } from '../runs/runPlan';
import { confirmThresholds } from '../settings/largeRunSettings';

/** `{ sha256, name }[]`: scripts that run without the dialog in this workspace (workspaceState). */
export const ALWAYS_RUN_KEY = 'dynamicWorkflows.alwaysRunScripts';
/** Before content pinning, "always" was remembered by meta.name; those entries are dropped. */
const LEGACY_ALWAYS_RUN_KEY = 'dynamicWorkflows.alwaysRun';
/** Ids of workspace allow rules and models the person has seen in this dialog and run with. */
export const ACCEPTED_STEERING_KEY = 'dynamicWorkflows.acceptedWorkspaceSteering';

export const BUTTONS = { run: 'Run', always: 'Always Run This Version of the Script', view: 'View Script' } as const;
export const TOKEN_CAUTION =
  'Dynamic workflows can use a lot of tokens quickly. Stop a running workflow at any time with "Workflows: Stop Run" or the stop button in the Runs view.';
export const SCRIPT_SAYS = "Script says (the script's own text, not checked by Dynamic Workflows):";
export const WORKSPACE_ALLOWS =
  "This workspace allows these commands without asking (from the workspace's files, not your user settings):";

/** Bounds for untrusted text in the dialog. */
export const LIMITS = {
  name: 80,
  line: 160,
  descriptionLines: 6,
  phases: 12,
  groups: 8,
  rules: 15,
  prompt: 50,
  args: 200,
} as const;

export interface RunRequest {
  script: ParsedScript;
  args: unknown;
  /** The run being resumed. */
  resumeOf?: string;
}

export interface AlwaysRunEntry {
  sha256: string;
  /** For the person (and forget()); not part of the key. */
  name: string;
}

/** What the runtime knows about a run before it starts, shown above anything the script says. */
export interface RunFacts {
  /** The script's file as shown (relative to the workspace). */
  scriptPath: string;
  sha256: string;
  budgetTotal: number | null;
  steering: WorkspaceSteering;
  /** Ids of steering items not accepted before (marked "new"). */
  fresh: ReadonlySet<string>;
  ignored: readonly IgnoredSetting[];
  /** Model and concurrency the run will use. */
  shape?: RunShape;
  /** The priced plan with the run's args (issue 11); absent when it could not be made. */
  plan?: PricedPlan;
  /** The plan is above a confirmation threshold: the dialog leads with why and the plan. */
  large?: LargeRun;
}

/** The dialog's two texts; pure, so tests can compare them. */
export function describeRun(req: RunRequest, facts: RunFacts): { message: string; detail: string } {
  const { meta } = req.script;
  const name = oneLine(meta.name, LIMITS.name);
  const message = req.resumeOf
    ? `Resume workflow "${name}" (${req.resumeOf})?`
    : `Run workflow "${name}"?${facts.large ? ` It is a large run: ${facts.large.reason}.` : ''}`;
  const isNew = (id: string) => (facts.fresh.has(id) ? ' (new)' : '');
  const lead = facts.large && facts.plan ? [`Large run: ${facts.large.reason}.`, ...pricedLines(facts.plan), ''] : [];
  const lines = [...lead, `Script: ${oneLine(facts.scriptPath, LIMITS.line)} · sha256 ${facts.sha256.slice(0, 12)}`];
  lines.push(...estimateLines(req.script.source));
  if (facts.plan && !lead.length) lines.push(...pricedLines(facts.plan));
  lines.push(
    `Budget: ${facts.budgetTotal === null ? 'none (dynamicWorkflows.budget)' : `${count(facts.budgetTotal)} output tokens`}`,
  );
  const { model, allow } = facts.steering;
  if (model)
    lines.push(`Model: ${oneLine(model.text, LIMITS.line)}, chosen by this workspace's settings${isNew(model.id)}`);
  else if (facts.shape) lines.push(oneLine(modelLine(facts.shape), LIMITS.line));
  if (facts.shape) lines.push(concurrencyLine(facts.shape));
  if (req.args !== undefined) lines.push(`Args: ${oneLine(JSON.stringify(req.args) ?? String(req.args), LIMITS.args)}`);
  if (req.resumeOf) lines.push('Resuming: agents that already finished are replayed from the journal, not re-run.');
  if (allow.length) {
    lines.push(WORKSPACE_ALLOWS);
    for (const r of allow.slice(0, LIMITS.rules)) lines.push(`  • ${oneLine(r.text, LIMITS.line)}${isNew(r.id)}`);
    if (allow.length > LIMITS.rules)
      lines.push(
        `  • … ${allow.length - LIMITS.rules} more (.claude/settings.json, .claude/settings.local.json, .vscode/settings.json)`,
      );
  }
  if (facts.ignored.length) {
    lines.push(
      `Ignored: ${[...new Set(facts.ignored.map((i) => i.key))].join(', ')} in this workspace's settings (only your user settings may set them).`,
    );
  }
  lines.push('', SCRIPT_SAYS, `  Name: ${name}`, '  Description:');
  lines.push(...block(meta.description, { maxLines: LIMITS.descriptionLines, maxChars: LIMITS.line, indent: '    ' }));
  const phases = meta.phases.slice(0, LIMITS.phases).map((p) => oneLine(p.title, 40));
  if (meta.phases.length > LIMITS.phases) phases.push(`… ${meta.phases.length - LIMITS.phases} more`);
  lines.push(`  Phases: ${phases.length ? oneLine(phases.join(' → '), LIMITS.line * 2) : 'none declared'}`);
  lines.push('', TOKEN_CAUTION);
  return { message, detail: lines.join('\n') };
}

function estimateLines(source: string): string[] {
  let e: AgentEstimate;
  try {
    e = estimateAgents(source);
  } catch {
    return ['Estimate: not available'];
  }
  const out = [`Estimate: ${oneLine(e.summary, LIMITS.line)}`];
  for (const g of e.groups.slice(0, LIMITS.groups)) {
    const n = `${g.agents}${g.open ? '+' : ''} agent${g.agents === 1 && !g.open ? '' : 's'}`;
    const over = g.over ? ` over ${g.over}` : '';
    // Prompts and expressions are the script's text: bounded like the rest of it.
    const prompts = g.prompts.length ? ` — ${g.prompts.map((p) => `"${oneLine(p, LIMITS.prompt)}"`).join(', ')}` : '';
    out.push(`  • line ${g.line}: ${oneLine(`${g.label}${over}, ${n}${prompts}`, LIMITS.line)}`);
  }
  if (e.groups.length > LIMITS.groups) out.push(`  • … ${e.groups.length - LIMITS.groups} more`);
  return out;
}

/** The plan under "Estimate": its phase titles and notes are the script's text, bounded like the rest. */
function pricedLines(plan: PricedPlan): string[] {
  return [
    'Priced plan (with these args):',
    ...planLines(plan, '  ', (t) => oneLine(t, LIMITS.line * 3)).map((l) => `  ${l}`),
  ];
}

/** The plan for the dialog; a script the estimator cannot read still gets its dialog. */
async function planFor(
  req: RunRequest,
  root: string | undefined,
  model: string | undefined,
): Promise<PricedPlan | undefined> {
  try {
    return await planOfScript(req.script, req.args, root, model);
  } catch {
    return undefined;
  }
}

export class PreRunModal {
  constructor(
    private readonly state: vscode.Memento,
    private readonly dialogs: Dialogs,
  ) {
    if (state.get(LEGACY_ALWAYS_RUN_KEY) !== undefined) void state.update(LEGACY_ALWAYS_RUN_KEY, undefined);
  }

  /** The controller's gate: true to run. */
  readonly gate: RunGate = (req) => this.confirm(req);

  async confirm(req: RunRequest): Promise<boolean> {
    const uri = vscode.Uri.file(req.script.file);
    const settings = readSettings(uri);
    const folder =
      vscode.workspace.getWorkspaceFolder(uri) ??
      vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    const steering = folder ? await workspaceSteering(folder.uri.fsPath, settings) : { allow: [] };
    const items = steeringItems(steering);
    const accepted = new Set(this.state.get<string[]>(ACCEPTED_STEERING_KEY, []));
    const fresh = new Set(items.filter((i) => !accepted.has(i.id)).map((i) => i.id));
    const sha256 = scriptHash(req.script.source);
    // Skipping needs the person's own "no" (user settings) or this exact text pinned, and nothing
    // new from the workspace's files.
    const skip = (!settings.confirmBeforeRun || this.isPinned(sha256)) && fresh.size === 0;
    // A resume is not measured again (its remainder is not estimated): it follows the rules above.
    if (skip && req.resumeOf) return true;
    const plan = await planFor(req, folder?.uri.fsPath, settings.model);
    // A large run is asked about even when the dialog is off or the script pinned (issue 11 item 3).
    const large = plan && !req.resumeOf ? largeRun(plan, confirmThresholds(uri)) : undefined;
    if (skip && !large) return true;
    const facts: RunFacts = {
      scriptPath: vscode.workspace.asRelativePath(uri),
      sha256,
      budgetTotal: settings.budgetTotal,
      steering,
      fresh,
      ignored: settings.ignored,
      shape: runShape(settings),
      plan,
      large,
    };
    const { message, detail } = describeRun(req, facts);
    const run = large && plan ? largeRunButton(plan) : BUTTONS.run;
    // "View Script" opens the script beside the dialog and asks again: the run is neither lost nor started.
    for (;;) {
      const answer = await this.dialogs.modal(message, detail, run, BUTTONS.always, BUTTONS.view);
      if (answer === run || answer === BUTTONS.always) {
        await this.accept(items.map((i) => i.id));
        if (answer === BUTTONS.always) await this.pin({ sha256, name: req.script.meta.name });
        return true;
      }
      if (answer !== BUTTONS.view) return false;
      await this.viewScript(req.script);
    }
  }

  /** Scripts that run without asking in this workspace, by content. */
  alwaysRun(): AlwaysRunEntry[] {
    const v = this.state.get<unknown>(ALWAYS_RUN_KEY, []);
    return Array.isArray(v)
      ? v.filter((e): e is AlwaysRunEntry => typeof e?.sha256 === 'string' && typeof e?.name === 'string')
      : [];
  }

  isPinned(sha256: string): boolean {
    return this.alwaysRun().some((e) => e.sha256 === sha256);
  }

  /** Forgets "Always run" for every version of workflow `name`, or for all scripts. */
  async forget(name?: string): Promise<void> {
    await this.state.update(ALWAYS_RUN_KEY, name === undefined ? [] : this.alwaysRun().filter((e) => e.name !== name));
  }

  /** Forgets "Always run" for one pinned version (Forget 'Always Run' Choices…). */
  async forgetVersion(sha256: string): Promise<void> {
    await this.state.update(
      ALWAYS_RUN_KEY,
      this.alwaysRun().filter((e) => e.sha256 !== sha256),
    );
  }

  /**
   * Marks workspace allow rules as seen, so they are not shown as new: rules the person saved
   * with "Always allow" are theirs (the controller reports them here).
   */
  async accept(ids: readonly string[]): Promise<void> {
    const accepted = this.state.get<string[]>(ACCEPTED_STEERING_KEY, []);
    const added = ids.filter((id) => !accepted.includes(id));
    if (added.length) await this.state.update(ACCEPTED_STEERING_KEY, [...accepted, ...added]);
  }

  /** Forgets which workspace rules were seen, so each is shown again. */
  async forgetAccepted(): Promise<void> {
    await this.state.update(ACCEPTED_STEERING_KEY, []);
  }

  private async pin(entry: AlwaysRunEntry): Promise<void> {
    await this.state.update(ALWAYS_RUN_KEY, [...this.alwaysRun().filter((e) => e.sha256 !== entry.sha256), entry]);
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
