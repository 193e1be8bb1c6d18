// Read-only documents for what a run leaves behind: an agent's transcript (from
// <runs>/<runId>/transcripts/<agentId>[.<attempt>].jsonl) and a run's log and result. A content
// provider rather than files on disk, so nothing can be edited by mistake and nothing is written;
// open documents of a live run are re-rendered when the run moves.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readTranscript } from '../../agent/transcript';
import { FileRunStore, oneLine, readJournal } from '../../core';
import type { RunChange, RunController, RunSession } from '../runs/runController';
import { logLines, runText, transcriptText, type RunDoc } from './documentText';
import { workspaceLinker } from './workspaceFileLinks';

export const DOCUMENT_SCHEME = 'dynamic-workflows';

/** Open documents of a live run are re-rendered at most this often. */
const DOC_REFRESH_MS = 500;

type Target = { kind: 'transcript'; runId: string; agentId: string } | { kind: 'run'; runId: string };

/** A file-name-safe title: the last path segment is what the editor tab shows (bidi and invisible characters escaped, then dropped with the other unsafe ones). */
function title(text: string): string {
  return (
    oneLine(text)
      .replace(/[\\/:*?"<>|#%\s]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'untitled'
  );
}

export function transcriptUri(runId: string, agentId: string, label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/${runId}/agent/${agentId}/${title(label)}.transcript.md` });
}

export function runDocumentUri(runId: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/${runId}/run/${title(name)}.run.md` });
}

function parse(uri: vscode.Uri): Target | undefined {
  const [, runId, kind, agentId] = uri.path.split('/');
  if (kind === 'agent' && agentId) return { kind: 'transcript', runId, agentId };
  if (kind === 'run') return { kind: 'run', runId };
  return undefined;
}

/** The workspace folder a run ran in: the one whose runs folder holds it. */
export function folderOf(runId: string): string | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const store = FileRunStore.forWorkspace(folder.uri.fsPath);
    try {
      if (fs.existsSync(store.dir(runId))) return folder.uri.fsPath;
    } catch {
      return undefined; // not a run id of ours
    }
  }
  return undefined;
}

/** The runs folder holding a run: the one of the workspace folder it ran in. */
export function storeOf(runId: string): FileRunStore | undefined {
  const folder = folderOf(runId);
  return folder === undefined ? undefined : FileRunStore.forWorkspace(folder);
}

/** Transcript files of an agent, one per attempt, oldest first. */
export function transcriptFiles(store: FileRunStore, runId: string, agentId: string): string[] {
  const dir = store.transcriptsDir(runId);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const attempts: [number, string][] = [];
  const prefix = `${agentId}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.jsonl')) continue;
    const middle = n.slice(prefix.length, -'.jsonl'.length);
    if (middle === '') attempts.push([1, n]);
    else if (/^\d+$/.test(middle)) attempts.push([Number(middle), n]);
  }
  return attempts.sort((a, b) => a[0] - b[0]).map(([, n]) => path.join(dir, n));
}

/** The agent's journaled result (the full value, where the tree only has a preview). */
export function journaledResult(store: FileRunStore, runId: string, agentId: string): { value: unknown } | undefined {
  let found: { value: unknown } | undefined;
  for (const line of readJournal(store.journalPath(runId)).lines) {
    if (line.type === 'result' && line.agentId === agentId) found = { value: line.result ?? null };
  }
  return found;
}

export class RunDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Documents VS Code holds open, by URI string. */
  private readonly open = new Map<string, { uri: vscode.Uri; target: Target }>();
  private readonly pending = new Set<string>();
  /** The document the rendered view shows: kept up to date though no editor holds its text. */
  private kept: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly controller: RunController) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(DOCUMENT_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument(
        (d) => d.uri.toString() !== this.kept && this.open.delete(d.uri.toString()),
      ),
      controller.onDidChange((c) => this.onRunChange(c)),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = parse(uri);
    if (!target) return 'Unknown document.';
    this.open.set(uri.toString(), { uri, target });
    const session = this.controller.get(target.runId);
    return target.kind === 'run'
      ? this.runContent(target.runId, session)
      : this.transcriptContent(target.runId, target.agentId, session);
  }

  /** Keeps `uri` re-rendered as its run moves (the rendered view shows it), or stops keeping it. */
  keepLive(uri: vscode.Uri | undefined): void {
    if (
      this.kept &&
      this.kept !== uri?.toString() &&
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.kept)
    )
      this.open.delete(this.kept);
    this.kept = uri?.toString();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private transcriptContent(runId: string, agentId: string, session: RunSession | undefined): string {
    const folder = folderOf(runId);
    const store = folder === undefined ? undefined : FileRunStore.forWorkspace(folder);
    const node = session?.trace.node(`agent:${agentId}`);
    const agent = node?.kind === 'agent' ? node : undefined;
    const attempts = store ? transcriptFiles(store, runId, agentId).map((f) => readTranscript(f)) : [];
    const label = agent?.label ?? attempts[0]?.find((e) => e.type === 'start')?.label ?? agentId;
    return transcriptText({
      label,
      agentId,
      runId,
      state: agent?.state,
      usage: agent?.usage,
      attempts,
      result: store ? journaledResult(store, runId, agentId) : undefined,
      error: agent?.error?.message,
      paths: folder === undefined ? undefined : workspaceLinker(folder),
    });
  }

  private runContent(runId: string, session: RunSession | undefined): string {
    if (session) {
      const root = session.trace.root;
      const r = session.result;
      const doc: RunDoc = {
        runId,
        name: session.name,
        status: r?.status ?? root?.state ?? 'running',
        description: root?.description,
        scriptFile: vscode.workspace.asRelativePath(session.file),
        logs: logLines(session.run.events.history),
        durationMs: r?.durationMs,
        agents: r?.agents,
        usage: r?.usage,
        error: r?.error?.message ?? root?.error?.message,
      };
      if (r && r.status === 'completed') doc.result = { value: r.result ?? null };
      return runText(doc);
    }
    // Dropped from the view: the run record on disk still has the first log lines and the result.
    const record = storeOf(runId)?.readRecord(runId);
    if (!record) return `# Run ${runId}\n\nThis run is no longer in the view and no run record was found.\n`;
    return runText({
      runId,
      name: record.name,
      status: record.status,
      description: record.description,
      scriptFile: record.scriptFile,
      logs: record.logs.map((message) => ({ message })),
      durationMs: record.durationMs,
      agents: record.agents,
      usage: record.usage,
      error: record.error?.message,
      result: record.status === 'completed' ? { value: record.result ?? null } : undefined,
    });
  }

  /**
   * Re-renders the open documents of a run that moved: at once when it started or ended, else at
   * most every DOC_REFRESH_MS (a running agent touches its node ten times a second).
   */
  private onRunChange(change: RunChange): void {
    const runId = change.session.runId;
    const ids = change.nodeIds && new Set(change.nodeIds);
    for (const [key, { uri, target }] of this.open) {
      if (target.runId !== runId) continue;
      if (!ids) this.changed.fire(uri);
      else if (target.kind === 'run' || ids.has(`agent:${target.agentId}`)) this.pending.add(key);
    }
    if (this.pending.size && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        for (const key of this.pending) {
          const doc = this.open.get(key);
          if (doc) this.changed.fire(doc.uri);
        }
        this.pending.clear();
      }, DOC_REFRESH_MS);
    }
  }
}
