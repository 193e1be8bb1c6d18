// CodeLens on workflow scripts: `▶ Run`, `↻ Resume last run` (or `■ Stop run` while one is live)
// and `Save to .claude/workflows` on the meta line; after a run, one lens per `agent(` /
// `parallel(` / `pipeline(` call with the live or last counts of what it started. Counts come
// from the run's trace; event sites are mapped back to the calls by CallSiteMap.
import * as vscode from 'vscode';
import {
  oneLine,
  usd,
  CallSiteMap,
  addSummary,
  countsText,
  emptySummary,
  runCounts,
  type ScriptError,
  type CallSite,
  type RunCounts,
  type TraceNode,
  type TraceSummary,
} from '../../core';
import type { RunController, RunSession } from '../runs/runController';
import { lastRunOf } from '../runs/storedRuns';
import { isWorkflowDocument } from './scriptDocs';
import { scriptProblem } from './scriptCheck';

/** Lenses follow a live run at most this often. */
const THROTTLE_MS = 300;

/** Counts per call site of one run; agents of child workflows (other files) are left out. */
export function siteCounts(session: RunSession, map: CallSiteMap): Map<CallSite, TraceSummary> {
  const out = new Map<CallSite, TraceSummary>();
  const at = (site: CallSite) => {
    let c = out.get(site);
    if (!c) out.set(site, (c = emptySummary()));
    return c;
  };
  const { trace } = session;
  const stack: TraceNode[] = trace.root ? [trace.root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'group' && n.groupKind === 'workflow') continue;
    if (n.kind === 'agent' && n.site) {
      const site = map.lookup(n.site, 'agent');
      if (site) addSummary(at(site), trace.summary(n.id), 1);
    }
    if (n.kind === 'group' && n.site && n.groupKind !== 'workflow') {
      const site = map.lookup(n.site, n.groupKind);
      if (site) addSummary(at(site), n.counts, 1);
    }
    stack.push(...trace.children(n.id));
  }
  return out;
}

/**
 * "$(sync~spin) 3 of ≥5 done · 2 running · 4.2k tok" live, "$(check) 8/8 done · 41k tok · $0.12"
 * at the end: the text the Runs tree shows for the same agents (runCounts), and the dollars this run
 * spent on them, each agent priced by the model it ran on (replayed agents cost nothing again).
 */
export function countsTitle(c: Readonly<TraceSummary>, final: boolean): string {
  const counts = runCounts(c, { final });
  const cost = counts.spent.costUsd ? ` · ${usd(counts.spent.costUsd)}` : '';
  return `${siteIcon(counts)} ${countsText(counts)}${cost}`;
}

function siteIcon(c: RunCounts): string {
  if (c.running || c.queued) return '$(sync~spin)';
  if (c.failed) return '$(error)';
  if (c.stopped) return '$(debug-stop)';
  if (c.toolErrors) return '$(warning)';
  if (c.done || c.cached) return '$(check)';
  return c.skipped ? '$(debug-step-over)' : '$(check)';
}

export class WorkflowCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly maps = new WeakMap<RunSession, CallSiteMap>();
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The newest stored run per file: reading every run record on each keystroke would be slow. */
  private readonly lastRuns = new Map<string, { at: number; runId?: string; status?: string }>();

  constructor(private readonly controller: RunController) {
    this.subscription = controller.onDidChange((c) => {
      if (!c.nodeIds) this.lastRuns.clear(); // a run started or ended
      if (vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === c.session.file.fsPath)) this.refresh();
    });
  }

  /** Throttled: the first change schedules one refresh, later ones ride along. */
  refresh(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, THROTTLE_MS);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isWorkflowDocument(doc)) return [];
    const text = doc.getText();
    const head = doc.positionAt(Math.max(0, text.search(/export\s+const\s+meta\b/)));
    const top = new vscode.Range(head.line, 0, head.line, 0);
    // A script the engine refuses is not offered a run: the lens says why instead.
    const problem = scriptProblem(doc);
    if (problem) return [problemLens(doc, top, problem)];
    const session = this.lastSession(doc.uri);
    const lenses = [
      new vscode.CodeLens(top, {
        title: '▶ Run',
        command: 'dynamicWorkflows.runFile',
        arguments: [doc.uri],
        tooltip: 'Run this workflow script',
      }),
    ];
    if (session && !session.result) {
      lenses.push(
        new vscode.CodeLens(top, {
          title: '■ Stop run',
          command: 'dynamicWorkflows.stopRun',
          arguments: [session.runId],
          tooltip: `Stop ${session.runId}`,
        }),
      );
    } else {
      const last = this.lastRun(doc.uri);
      if (last.runId) {
        lenses.push(
          new vscode.CodeLens(top, {
            title: '↻ Resume last run',
            command: 'dynamicWorkflows.resumeLastRun',
            arguments: [doc.uri],
            tooltip: `Resume ${last.runId} (${last.status}) with this file's current text: finished agents are replayed`,
          }),
        );
      }
    }
    lenses.push(
      new vscode.CodeLens(top, {
        title: 'Save to .claude/workflows',
        command: 'dynamicWorkflows.saveScript',
        arguments: [doc.uri],
        tooltip: 'Save as a reusable workflow (project or personal)',
      }),
    );
    if (session) lenses.push(...this.siteLenses(doc, session));
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private lastRun(uri: vscode.Uri): { runId?: string; status?: string } {
    const hit = this.lastRuns.get(uri.fsPath);
    if (hit && Date.now() - hit.at < 5000) return hit;
    const r = lastRunOf(uri);
    const entry = { at: Date.now(), runId: r?.runId, status: r?.status };
    this.lastRuns.set(uri.fsPath, entry);
    return entry;
  }

  /** The newest run of this file the controller still holds. */
  private lastSession(uri: vscode.Uri): RunSession | undefined {
    return this.controller
      .list()
      .filter((s) => s.file.fsPath === uri.fsPath)
      .pop();
  }

  private siteLenses(doc: vscode.TextDocument, session: RunSession): vscode.CodeLens[] {
    let map = this.maps.get(session);
    if (!map) this.maps.set(session, (map = new CallSiteMap(session.script)));
    const ran = session.script.source.split('\n');
    // Edited since the run: a count stays only on a line that still reads as it did then.
    const same = doc.getText().replace(/\r\n/g, '\n') === session.script.source;
    const counts = siteCounts(session, map);
    const final = session.trace.root !== undefined && session.trace.root.state !== 'running';
    const perLine = new Map<number, number>();
    for (const site of counts.keys()) perLine.set(site.line, (perLine.get(site.line) ?? 0) + 1);
    const out: vscode.CodeLens[] = [];
    for (const [site, c] of counts) {
      if (site.line > doc.lineCount) continue;
      if (!same && doc.lineAt(site.line - 1).text !== ran[site.line - 1]) continue;
      const range = new vscode.Range(site.line - 1, site.column - 1, site.line - 1, site.endColumn - 1);
      const title = `${(perLine.get(site.line) ?? 0) > 1 ? `${site.kind}: ` : ''}${countsTitle(c, final)}`;
      out.push(
        new vscode.CodeLens(range, {
          title,
          command: '',
          tooltip: `${site.kind}() at line ${site.line} in run ${session.runId}`,
        }),
      );
    }
    return out.sort((a, b) => a.range.start.compareTo(b.range.start));
  }
}

/**
 * `$(error) Cannot run (line 6): Script parse error: Unexpected token ':'`, the hint in the
 * tooltip; a click puts the cursor on the problem.
 */
function problemLens(doc: vscode.TextDocument, range: vscode.Range, problem: ScriptError): vscode.CodeLens {
  const where = problem.line ? ` (line ${problem.line})` : '';
  const title = `$(error) Cannot run${where}: ${oneLine(problem.message.split('\n')[0])}`;
  const line = Math.min(Math.max((problem.line ?? 1) - 1, 0), doc.lineCount - 1);
  const at = new vscode.Position(line, Math.min(Math.max((problem.column ?? 1) - 1, 0), doc.lineAt(line).text.length));
  const selection = new vscode.Range(at, at);
  return new vscode.CodeLens(range, {
    title,
    command: 'vscode.open',
    arguments: [doc.uri, { selection }],
    tooltip: problem.message,
  });
}

export function registerCodeLens(
  controller: RunController,
  selector: vscode.DocumentSelector,
): { lenses: WorkflowCodeLens; disposables: vscode.Disposable[] } {
  const lenses = new WorkflowCodeLens(controller);
  return { lenses, disposables: [lenses, vscode.languages.registerCodeLensProvider(selector, lenses)] };
}
