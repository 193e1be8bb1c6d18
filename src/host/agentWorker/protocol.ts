// The messages between the editor's main thread and the agent worker (worker.ts), defined once:
// the main side (runnerProxy.ts) and the worker both build and read them through these types and
// helpers, by name. Only what must go through the editor crosses: reads of open documents, edits,
// approvals, settings problems; progress and outcomes travel in batches (BATCH_MS).
import type { AgentOutcome, AgentRequest, ApprovalAnswer, ApprovalRequest, ErrorInfo } from '../../core';
import { addUsage, type TokenUsage } from '../../shared/usage';
import type { AgentAssemblyOptions } from '../agentAssembly';

/** The worker sends progress at most this often (per worker), not per streamed token. */
export const BATCH_MS = 50;

/** After `close`, the worker has this long to clean up before it is terminated. */
export const CLOSE_GRACE_MS = 2_000;

/** An Error as it crosses the thread boundary (stack left behind: it names the other thread's files). */
export type WireError = Pick<ErrorInfo, 'name' | 'message'>;

/** What the worker assembles from: the shared assembly's options, plus where the editor keeps ripgrep. */
export interface WorkerAssembly {
  options: AgentAssemblyOptions;
  /** The editor's install folder (vscode.env.appRoot): the Grep tool uses its ripgrep. Absent: the one on PATH. */
  vscodeAppRoot?: string;
  /** Reads and edits of the main tree go to the main thread (the editor); false: files on disk in the worker. */
  editorWorkspace: boolean;
}

// ——— main → worker ———

export type ToWorker =
  /** First message: the API key is in `assembly.options` (memory only, never logged). */
  | { type: 'assemble'; assembly: WorkerAssembly }
  /** Run one agent; `awaitPerson`: the engine lends its slot while the agent waits for the person. */
  | { type: 'run'; call: number; request: AgentRequest; awaitPerson: boolean }
  /** Stop, Skip or Retry of agent `call`, with the engine's reason. */
  | { type: 'abort'; call: number; reason: WireError }
  /** The answer to the worker's question `id`. */
  | { type: 'answer'; id: number; reply: Reply }
  /** The engine holds agent `wait`'s slot again (or the agent was aborted while it waited). */
  | { type: 'personResumed'; wait: number; error?: WireError }
  /** The run is over: release the runner's resources and exit. */
  | { type: 'close' };

export type Reply = { ok: true; value: unknown } | { ok: false; error: WireError };

// ——— worker → main ———

/** What the worker asks the main thread, each answered once by an `answer`. */
export type Question =
  /** The file as the editor shows it (unsaved edits included) → string. */
  | { op: 'read'; file: string }
  /**
   * Apply as a WorkspaceEdit (undoable) and save → undefined. `file` is the real path the worker's
   * backstop checked; `approved`: a protected path the access gate granted for this write.
   */
  | { op: 'write'; file: string; content: string; approved: boolean; agent?: { runId: string; agentId: string } }
  /** Ask the person → ApprovalAnswer. */
  | { op: 'approve'; request: ApprovalRequest };

export type AnswerOf<Q extends Question> = Q extends { op: 'read' }
  ? string
  : Q extends { op: 'approve' }
    ? ApprovalAnswer
    : undefined;

/** One thing that happened in the worker; a `batch` carries them in order. */
export type Progress =
  | { kind: 'usage'; call: number; usage: TokenUsage }
  | { kind: 'tool'; call: number; name: string; summary?: string }
  | { kind: 'model'; call: number; model: string }
  /** The account's usage limit refused agent `call`'s request until `until` (ms): the run pauses. */
  | { kind: 'usageLimit'; call: number; until: number; reason: string }
  | { kind: 'outcome'; call: number; outcome: AgentOutcome }
  /** Agent `call` waits for the person's answer: lend its slot (`wait` names this wait). */
  | { kind: 'awaitPerson'; call: number; wait: number }
  /** The person answered wait `wait`: take the slot back, then `personResumed`. */
  | { kind: 'personAnswered'; wait: number }
  | { kind: 'log'; level: 'info' | 'warn'; message: string };

/** Progress that must not wait for the next batch tick: it frees or ends an agent. */
export function isUrgent(p: Progress): boolean {
  // A usage limit is urgent: the engine holds new agents at once, not a batch later.
  return p.kind === 'outcome' || p.kind === 'awaitPerson' || p.kind === 'personAnswered' || p.kind === 'usageLimit';
}

export type ToMain =
  | { type: 'assembled'; warnings: string[]; agentTypes: string[] }
  /** The settings may hide a deny rule (SettingsRefusal): the run must not start. */
  | { type: 'refused'; fatal: string[]; problems: string[] }
  | { type: 'assemblyFailed'; error: WireError }
  | { type: 'ask'; id: number; question: Question }
  | { type: 'batch'; items: Progress[] };

// ——— encoding ———

export function encodeError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

export function decodeError(w: WireError): Error {
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

const TO_WORKER = new Set<ToWorker['type']>(['assemble', 'run', 'abort', 'answer', 'personResumed', 'close']);
const TO_MAIN = new Set<ToMain['type']>(['assembled', 'refused', 'assemblyFailed', 'ask', 'batch']);

function typeOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}

/** A message the main thread sent, checked by its type; anything else is a bug on the other side. */
export function decodeToWorker(message: unknown): ToWorker {
  const type = typeOf(message);
  if (!TO_WORKER.has(type as ToWorker['type']))
    throw new Error(`agent worker: unknown message from the main thread (type ${JSON.stringify(type)})`);
  return message as ToWorker;
}

/** A message the worker sent, checked by its type. */
export function decodeToMain(message: unknown): ToMain {
  const type = typeOf(message);
  if (!TO_MAIN.has(type as ToMain['type']))
    throw new Error(`agent worker: unknown message from the worker (type ${JSON.stringify(type)})`);
  return message as ToMain;
}

/**
 * Progress waiting for the next batch. A usage delta folds into the same agent's delta already
 * waiting, unless something else of that agent came after it (a streamed answer reports usage per
 * event; the engine needs the sums, in order per agent).
 */
export class ProgressBatch {
  private items: Progress[] = [];
  /** Per agent call: the index of its usage item still open for folding. */
  private openUsage = new Map<number, number>();

  get size(): number {
    return this.items.length;
  }

  add(p: Progress): void {
    if (p.kind === 'usage') {
      const at = this.openUsage.get(p.call);
      const open = at === undefined ? undefined : this.items[at];
      if (open?.kind === 'usage') {
        open.usage = addUsage(open.usage, p.usage);
        return;
      }
      this.openUsage.set(p.call, this.items.length);
      this.items.push({ ...p, usage: { ...p.usage } });
      return;
    }
    if ('call' in p) this.openUsage.delete(p.call);
    this.items.push(p);
  }

  /** The waiting items, oldest first; the batch is empty afterwards. */
  take(): Progress[] {
    const items = this.items;
    this.items = [];
    this.openUsage.clear();
    return items;
  }
}
