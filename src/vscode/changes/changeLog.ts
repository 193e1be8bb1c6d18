// What each agent of a run changed in the editor's workspace: per file, the text before the first
// change (undefined for a file the agent created). EditorWorkspace feeds it as agents write; the
// Runs view, Open Changes and the editor highlights read it. Kept in memory for the extension
// session (a reload forgets it; the files themselves keep the changes) and dropped with the run.
import * as vscode from 'vscode';

export interface ChangedFile {
  /** Absolute path. */
  readonly file: string;
  /** The text before the first change; undefined when the file did not exist (created). */
  readonly before: string | undefined;
}

/** One write attributed to an agent. */
export interface AgentWrite {
  runId: string;
  agentId: string;
  file: string;
}

export class ChangeLog implements vscode.Disposable {
  /** runId → agentId → file → first before-text. */
  private readonly byAgent = new Map<string, Map<string, Map<string, ChangedFile>>>();
  /** runId → file → first before-text over all its agents (the run's own before). */
  private readonly byRun = new Map<string, Map<string, ChangedFile>>();
  /** Files an agent is writing right now: their document changes are the agent's, not the person's. */
  private readonly writing = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<AgentWrite>();
  /** Fires after an agent's write landed. */
  readonly onDidChange = this.changed.event;
  private readonly dropped = new vscode.EventEmitter<string>();
  /** Fires with the run id when a run's changes are forgotten. */
  readonly onDidDrop = this.dropped.event;

  /** Before an agent's write to `file`: the document changes until didWrite are the agent's. */
  willWrite(file: string): void {
    this.writing.set(file, (this.writing.get(file) ?? 0) + 1);
  }

  /** After a write (landed or not): records it when `ok`, keeping the first before-text. */
  didWrite(write: AgentWrite, before: string | undefined, ok: boolean): void {
    const n = (this.writing.get(write.file) ?? 1) - 1;
    if (n > 0) this.writing.set(write.file, n);
    else this.writing.delete(write.file);
    if (!ok) return;
    const entry: ChangedFile = { file: write.file, before };
    const agents = getOrSet(this.byAgent, write.runId, () => new Map<string, Map<string, ChangedFile>>());
    const files = getOrSet(agents, write.agentId, () => new Map<string, ChangedFile>());
    if (!files.has(write.file)) files.set(write.file, entry);
    const run = getOrSet(this.byRun, write.runId, () => new Map<string, ChangedFile>());
    if (!run.has(write.file)) run.set(write.file, entry);
    this.changed.fire(write);
  }

  /** True while an agent's write to `file` is in flight. */
  isAgentWriting(file: string): boolean {
    return this.writing.has(file);
  }

  /** The files one agent changed, in the order it first changed them. */
  forAgent(runId: string, agentId: string): ChangedFile[] {
    return [...(this.byAgent.get(runId)?.get(agentId)?.values() ?? [])];
  }

  /** The files a run's agents changed, with the text before the run's first change. */
  forRun(runId: string): ChangedFile[] {
    return [...(this.byRun.get(runId)?.values() ?? [])];
  }

  /** The agent ids of a run that changed files. */
  agentsOf(runId: string): string[] {
    return [...(this.byAgent.get(runId)?.keys() ?? [])];
  }

  /** The text before the change of `file`: by one agent, or by the run when `agentId` is empty. */
  before(runId: string, agentId: string, file: string): ChangedFile | undefined {
    return agentId ? this.byAgent.get(runId)?.get(agentId)?.get(file) : this.byRun.get(runId)?.get(file);
  }

  /** Forgets a run (removed from the view). */
  drop(runId: string): void {
    if (!this.byRun.delete(runId)) return;
    this.byAgent.delete(runId);
    this.dropped.fire(runId);
  }

  dispose(): void {
    this.changed.dispose();
    this.dropped.dispose();
  }
}

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}
