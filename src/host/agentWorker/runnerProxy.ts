// The main thread's side of the agent worker (worker.ts): an AgentRunner that runs each agent in
// the worker and answers the worker's questions with the host's ports — the editor's workspace,
// the approver, the log. It loads nothing of the agent layer itself (no SDK on the main thread).
// A worker that dies (crash, out of memory) ends its running agents with an error at once, so the
// run settles; the next agent starts a fresh worker.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AgentOutcome, AgentProgress, AgentRequest, AgentRunner, Approver, Workspace } from '../../core';
import { addUsage, zeroUsage, type TokenUsage } from '../../shared/usage';
import { SettingsRefusal } from '../settingsRefusal';
import {
  CLOSE_GRACE_MS,
  decodeError,
  decodeToMain,
  encodeError,
  type Progress,
  type Question,
  type Reply,
  type ToMain,
  type ToWorker,
  type WorkerAssembly,
} from './protocol';

/** What the main thread provides; the same roles as the shared assembly's AgentHostPorts. */
export interface WorkerHostPorts {
  approver: Approver;
  log: { info(message: string): void; warn(message: string): void };
  /**
   * The main tree's workspace on this thread (VS Code: WorkspaceEdits). `approve(file)` lets its
   * backstop accept one write to a protected path the worker's access gate granted. Absent: the
   * worker works on disk.
   */
  workspace?: { forAgent(agent?: { runId: string; agentId: string }): Workspace; approve(file: string): void };
}

export interface WorkerRunnerOptions {
  assembly: Omit<WorkerAssembly, 'editorWorkspace'>;
  /** The worker's script; default: the bundle next to this one (dist/agentWorker.js) or, unbundled, worker.js. */
  workerFile?: string;
}

export function agentWorkerFile(): string {
  const bundled = path.join(__dirname, 'agentWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'worker.js');
}

/** Name of the error that ends the agents of a worker that died. */
export const WORKER_DIED = 'AgentWorkerError';

interface Call {
  progress: AgentProgress;
  usage: TokenUsage;
  settle(outcome: AgentOutcome): void;
}

/** One worker thread with its assembled runner. */
class WorkerThread {
  readonly worker: Worker;
  readonly calls = new Map<number, Call>();
  /** Person waits by id: resolving lets the engine take the slot back. */
  private readonly waits = new Map<number, () => void>();
  private closing = false;
  /** Set once the thread has exited: nothing posted to it is answered any more. */
  dead = false;
  private lastError: Error | undefined;
  readonly ready: Promise<{ warnings: string[]; agentTypes: string[] }>;
  readonly exited: Promise<void>;

  constructor(
    file: string,
    assembly: WorkerAssembly,
    private readonly ports: WorkerHostPorts,
    onExit: (thread: WorkerThread, reason: string, expected: boolean) => void,
  ) {
    this.worker = new Worker(file);
    let readyHandlers: { resolve(v: { warnings: string[]; agentTypes: string[] }): void; reject(e: Error): void };
    this.ready = new Promise((resolve, reject) => (readyHandlers = { resolve, reject }));
    void this.ready.catch(() => undefined);
    this.worker.on('message', (raw: unknown) => {
      const message = decodeToMain(raw);
      if (message.type === 'assembled')
        readyHandlers.resolve({ warnings: message.warnings, agentTypes: message.agentTypes });
      else if (message.type === 'refused') readyHandlers.reject(new SettingsRefusal(message.fatal, message.problems));
      else if (message.type === 'assemblyFailed') readyHandlers.reject(decodeError(message.error));
      else this.handle(message);
    });
    this.worker.on('error', (e) => (this.lastError = e));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        const reason = this.lastError
          ? `${this.lastError.name}: ${this.lastError.message}`
          : `it exited with code ${code}`;
        readyHandlers.reject(new Error(`the agent worker stopped before its runner was ready (${reason})`));
        this.dead = true;
        for (const release of this.waits.values()) release();
        this.waits.clear();
        onExit(this, reason, this.closing);
        resolve();
      }),
    );
    this.post({ type: 'assemble', assembly });
  }

  post(message: ToWorker): void {
    if (!this.dead) this.worker.postMessage(message); // an ended worker's agents were settled already
  }

  /** Asks the worker to clean up and exit; terminates it if it has not after the grace. */
  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    this.post({ type: 'close' });
    const grace = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  private handle(message: Exclude<ToMain, { type: 'assembled' | 'refused' | 'assemblyFailed' }>): void {
    if (message.type === 'ask') {
      void this.answer(message.question).then((reply) => {
        if (!this.closing) this.post({ type: 'answer', id: message.id, reply });
      });
      return;
    }
    for (const item of message.items) this.apply(item);
  }

  private async answer(question: Question): Promise<Reply> {
    try {
      return { ok: true, value: await this.question(question) };
    } catch (e) {
      return { ok: false, error: encodeError(e) };
    }
  }

  private async question(q: Question): Promise<unknown> {
    const workspace = this.ports.workspace;
    switch (q.op) {
      case 'approve':
        return this.ports.approver.approveCommand(q.request);
      case 'read':
        if (!workspace) throw new Error('the agent worker asked to read through the editor, which it was not given');
        return workspace.forAgent().readFile(q.file);
      case 'write':
        if (!workspace) throw new Error('the agent worker asked to write through the editor, which it was not given');
        if (q.approved) workspace.approve(q.file);
        return workspace.forAgent(q.agent).writeFile(q.file, q.content);
    }
  }

  private apply(p: Progress): void {
    if (p.kind === 'log') {
      this.ports.log[p.level](p.message);
      return;
    }
    if (p.kind === 'personAnswered') {
      this.waits.get(p.wait)?.();
      this.waits.delete(p.wait);
      return;
    }
    const call = this.calls.get(p.call);
    if (!call) return; // ended already (the worker died meanwhile)
    switch (p.kind) {
      case 'usage':
        call.usage = addUsage(call.usage, p.usage);
        call.progress.usage?.(p.usage);
        return;
      case 'tool':
        call.progress.tool?.(p.name, p.summary);
        return;
      case 'model':
        call.progress.model?.(p.model);
        return;
      case 'usageLimit':
        call.progress.usageLimit?.(p.until, p.reason);
        return;
      case 'outcome':
        this.calls.delete(p.call);
        call.settle(p.outcome);
        return;
      case 'awaitPerson':
        this.lendSlot(call, p.wait);
        return;
    }
  }

  /** The engine lends the agent's slot until the worker says the person answered, then takes it back. */
  private lendSlot(call: Call, wait: number): void {
    const answered = new Promise<void>((resolve) => this.waits.set(wait, resolve));
    const lend = call.progress.awaitPerson ? call.progress.awaitPerson(answered) : answered;
    lend.then(
      () => !this.closing && this.post({ type: 'personResumed', wait }),
      (e: unknown) => !this.closing && this.post({ type: 'personResumed', wait, error: encodeError(e) }),
    );
  }
}

/**
 * The AgentRunner the main thread hands the engine. Create it with `WorkerRunner.start` (which
 * waits for the worker's assembly: its warnings, or a SettingsRefusal); `dispose` when the run is over.
 */
export class WorkerRunner implements AgentRunner {
  private thread: WorkerThread | undefined;
  private nextCall = 1;
  private types: string[] | undefined;
  private disposed = false;
  /** Worker threads started so far (tests: a crash starts a new one). */
  started = 0;

  private constructor(
    private readonly file: string,
    private readonly assembly: WorkerAssembly,
    private readonly ports: WorkerHostPorts,
  ) {}

  /** Starts the worker and assembles the runner there; rejects as the shared assembly would. */
  static async start(
    options: WorkerRunnerOptions,
    ports: WorkerHostPorts,
  ): Promise<{ runner: WorkerRunner; warnings: string[] }> {
    const assembly: WorkerAssembly = { ...options.assembly, editorWorkspace: ports.workspace !== undefined };
    const runner = new WorkerRunner(options.workerFile ?? agentWorkerFile(), assembly, ports);
    try {
      const { warnings } = await runner.ensureThread();
      return { runner, warnings };
    } catch (e) {
      await runner.dispose();
      throw e;
    }
  }

  /** The worker thread's id while one is running (tests). */
  get threadId(): number | undefined {
    return this.thread?.worker.threadId;
  }

  agentTypes(): string[] | undefined {
    return this.types;
  }

  async run(request: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome> {
    let thread: WorkerThread;
    try {
      if (this.disposed) throw new Error('the run is over: its agent worker was closed');
      await this.ensureThread();
      thread = this.thread!;
      if (thread.dead) throw new Error('the agent worker stopped before the agent started');
    } catch (e) {
      return { kind: 'error', error: { name: WORKER_DIED, message: `agent worker: ${(e as Error).message}` } };
    }
    const call = this.nextCall++;
    return new Promise<AgentOutcome>((resolve) => {
      const onAbort = () => thread.post({ type: 'abort', call, reason: encodeError(signal.reason) });
      thread.calls.set(call, {
        progress,
        usage: zeroUsage(),
        settle: (outcome) => {
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      });
      thread.post({ type: 'run', call, request, awaitPerson: progress.awaitPerson !== undefined });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Ends the worker (the run is over); agents still running end as stopped by the worker's exit. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const thread = this.thread;
    this.thread = undefined;
    await thread?.close();
  }

  /** Terminates the worker as a crash would (tests of what a crash does to a run). */
  async crashForTest(): Promise<void> {
    await this.thread?.worker.terminate();
  }

  private async ensureThread(): Promise<{ warnings: string[]; agentTypes: string[] }> {
    if (!this.thread) {
      this.started++;
      this.thread = new WorkerThread(this.file, this.assembly, this.ports, (thread, reason, expected) =>
        this.exited(thread, reason, expected),
      );
    }
    const ready = await this.thread.ready;
    this.types = ready.agentTypes;
    return ready;
  }

  /**
   * Every agent of an ended worker ends with an error naming why (never left pending: the run must
   * settle); after a crash the next agent starts a new worker.
   */
  private exited(thread: WorkerThread, reason: string, expected: boolean): void {
    if (this.thread === thread) this.thread = undefined;
    if (expected && thread.calls.size === 0) return;
    const message = expected
      ? 'the run is over: its agent worker was closed while the agent ran'
      : `the agent worker stopped unexpectedly (${reason}); the agent was ended. Retry it, or run again.`;
    if (!expected) this.ports.log.warn(message);
    for (const call of thread.calls.values())
      call.settle({ kind: 'error', error: { name: WORKER_DIED, message }, usage: call.usage });
    thread.calls.clear();
  }
}
