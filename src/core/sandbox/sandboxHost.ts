// Parent side of the sandbox: spawns the worker, forwards guest operations to the engine,
// batches settlements back, and is the hard stop — terminate() ends even a native built-in
// that ignores QuickJS's interrupt handler (findings §2).
import type { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GuestOp, ParentMessage, SandboxLimits, Settlement, WorkerMessage } from './protocol';
import { DEFAULT_LIMITS, ID_SPAN, WATCH, WATCH_BYTES, settlementJson } from './protocol';
import { takeWorker, returnWorker } from './workerPool';
import { AGENT_CAP } from './bookkeeping';
import { compiledQuickJs } from './wasm';
import { hostIntlDefaults, type IntlDefaults } from './intlHost';
import type { ErrorInfo } from '../types';

export interface SandboxCallbacks {
  ops(ops: GuestOp[]): void;
  childDone(id: number, ok: boolean, error?: ErrorInfo): void;
  done(outcome: { ok: true; resultJson: string | undefined } | { ok: false; error: ErrorInfo }): void;
  /** One synchronous slice has run past limits.computingMs (true), or it ended (false). */
  computing?(busy: boolean): void;
}

export interface SandboxStart {
  compiled: string;
  file: string;
  argsJson: string | undefined;
  budgetTotal: number | null;
  maxAgents?: number;
  replay?: [string, string | undefined][];
  spent: number;
  limits?: Partial<SandboxLimits>;
  /** The run's recorded locale and time zone; the process's own when absent. */
  intl?: IntlDefaults;
}

/** Where the worker script is: next to a bundle (dist/sandboxWorker.js) or next to this file. */
export function defaultWorkerPath(): string {
  const bundled = path.join(__dirname, 'sandboxWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'worker.js');
}

export class SandboxHost {
  private worker: Worker | undefined;
  private outbox: Settlement[] = [];
  private flushScheduled = false;
  private watch = new SharedArrayBuffer(WATCH_BYTES);
  private computing = false;
  private watchdog: NodeJS.Timeout | undefined;
  private ended = false;
  private limits: SandboxLimits = DEFAULT_LIMITS;

  constructor(
    private readonly callbacks: SandboxCallbacks,
    private readonly workerPath = defaultWorkerPath(),
    /** Runs before settlements go to the worker: the run's journal group commit (fdatasync). */
    private readonly beforeFlush?: () => void,
  ) {}

  start(init: SandboxStart): void {
    this.limits = { ...DEFAULT_LIMITS, ...init.limits };
    const worker = takeWorker(this.workerPath);
    this.worker = worker;
    worker.on('message', (msg: WorkerMessage) => this.receive(msg));
    worker.on('error', (e) =>
      this.end({ ok: false, error: { name: 'InternalError', message: `sandbox crashed: ${e.message}` } }),
    );
    worker.on('exit', (code) => {
      if (!this.ended)
        this.end({
          ok: false,
          error: { name: 'InternalError', message: `sandbox exited unexpectedly (code ${code})` },
        });
    });
    const msg: ParentMessage = {
      t: 'start',
      compiled: init.compiled,
      file: init.file,
      argsJson: init.argsJson,
      budgetTotal: init.budgetTotal,
      maxAgents: init.maxAgents ?? AGENT_CAP,
      replay: init.replay,
      spent: init.spent,
      limits: this.limits,
      intl: init.intl ?? hostIntlDefaults(),
      watch: this.watch,
      wasm: compiledQuickJs(),
    };
    worker.postMessage(msg);
    this.armWatchdog();
  }

  /**
   * Reports a slice that computes for long, and kills the worker if one VM entry outlives its
   * slice by far: a built-in ignoring the interrupt.
   */
  private armWatchdog(): void {
    const view = new Int32Array(this.watch);
    const grace = this.limits.sliceMs + 2000;
    let lastEntries = -1;
    let since = Date.now();
    this.watchdog = setInterval(() => {
      const inVm = Atomics.load(view, WATCH.inVm) === 1;
      const entries = Atomics.load(view, WATCH.entries);
      if (!inVm || entries !== lastEntries) {
        lastEntries = entries;
        since = Date.now();
        this.setComputing(false);
        return;
      }
      if (Date.now() - since > this.limits.computingMs) this.setComputing(true);
      if (Date.now() - since > grace) {
        this.end({
          ok: false,
          error: {
            name: 'InternalError',
            message: `The script was stuck for more than ${Math.round(grace / 1000)} s inside one built-in call (for example JSON.stringify of huge or deeply nested data); the sandbox was stopped.`,
          },
        });
      }
    }, 250);
    this.watchdog.unref();
  }

  private setComputing(busy: boolean): void {
    if (busy === this.computing || this.ended) return;
    this.computing = busy;
    this.callbacks.computing?.(busy);
  }

  private receive(msg: WorkerMessage): void {
    if (this.ended) return;
    // A message between entries: the long slice is over (the 250 ms poll may not have seen it yet).
    if (this.computing && Atomics.load(new Int32Array(this.watch), WATCH.inVm) === 0) this.setComputing(false);
    switch (msg.t) {
      case 'ops':
        this.callbacks.ops(JSON.parse(msg.json) as GuestOp[]);
        break;
      case 'childDone':
        this.callbacks.childDone(msg.id, msg.ok, msg.error);
        break;
      case 'done':
        // The worker ended the script itself, so it is clean and can serve the next run.
        this.end(msg.ok ? { ok: true, resultJson: msg.resultJson } : { ok: false, error: msg.error }, true);
        break;
      case 'ready':
        break;
    }
  }

  /** Queues a settlement; all settlements of one tick go to the worker in one message. */
  settle(item: Settlement): void {
    if (this.ended) return;
    this.outbox.push(item);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ended || this.outbox.length === 0) return;
    this.beforeFlush?.();
    const byContext = new Map<number, string[]>();
    for (const item of this.outbox) {
      const index = Math.floor((item[0] - 1) / ID_SPAN);
      const list = byContext.get(index);
      if (list) list.push(settlementJson(item));
      else byContext.set(index, [settlementJson(item)]);
    }
    this.outbox = [];
    const batches: [number, number, string][] = [];
    for (const [index, items] of byContext) batches.push([index, items.length, '[' + items.join(',') + ']']);
    this.post({ t: 'settle', batches });
  }

  post(msg: ParentMessage): void {
    if (!this.ended) this.worker?.postMessage(msg);
  }

  /**
   * Stops the script now. Pending guest promises never settle (spec §4.3 "whole run stopped").
   * The stop word ends a busy guest at its next interrupt check; terminate() is the backstop.
   */
  terminate(): void {
    Atomics.store(new Int32Array(this.watch), WATCH.stop, 1);
    this.end(undefined);
  }

  private end(outcome: Parameters<SandboxCallbacks['done']>[0] | undefined, reusable = false): void {
    if (this.ended) return;
    this.setComputing(false);
    this.ended = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.worker && reusable) returnWorker(this.workerPath, this.worker);
    else void this.worker?.terminate();
    if (outcome) this.callbacks.done(outcome);
  }
}
