// The sandbox worker: one per run. Runs the script in QuickJS (release-sync variant) with a
// capped WebAssembly heap, an interrupt deadline per VM entry and a small QuickJS stack, and
// talks to the engine only through JSON messages (protocol.ts). Agents run in the parent.
import { parentPort } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten-core';
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import { compiledQuickJs } from './wasm';
import { PRELUDE, PRELUDE_FILE, type PreludeConfig } from './prelude';
import { INTL_PRELUDE } from './intlPrelude';
import { IntlHost, intlDoor } from './intlHost';
import { ID_SPAN, WATCH, settlementJson, type GuestOp, type ParentMessage, type Settlement, type StartMessage, type WorkerMessage } from './protocol';
import { GuestBookkeeping, KEY_LENGTH } from './bookkeeping';
import { itemLabelsFrom } from './itemLabels';
import { explainGuestError, readErrorInfo, sliceExceeded, userSite } from './guestErrors';
import { MESSAGES } from '../errors';
import type { ErrorInfo, SourceLocation } from '../types';


interface GuestContext {
  index: number;
  ctx: QuickJSContext;
  file: string;
  settle: QuickJSHandle;
  helpers: QuickJSHandle;
  finish: QuickJSHandle;
  describe: QuickJSHandle;
  drain: QuickJSHandle;
  drainJson: QuickJSHandle;
  /** End mark of this context's drained texts (prelude takeQueue). */
  mark: string;
  main?: QuickJSHandle;
  /** For a child workflow: the parent's pending workflow() id. */
  parentId?: number;
  /** Settlements waiting for the next pump: settlementJson texts, delivered as one array. */
  pending: string[];
  /** The phase set by the context's last phase() record (agent ops carry it). */
  phase: string;
  /** Last call-site stack seen and its location: calls from one loop share one stack text. */
  stack: string;
  site: SourceLocation | undefined;
  over: boolean;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function post(msg: WorkerMessage): void {
  parentPort!.postMessage(msg);
}


class SandboxWorker {
  private rt!: QuickJSRuntime;
  private contexts: GuestContext[] = [];
  private ops: GuestOp[] = [];
  /** Agents among `ops` the parent has to run (not journal hits). */
  private unsentLive = 0;
  private book!: GuestBookkeeping;
  private intl!: IntlHost;
  private deadline = Infinity;
  /**
   * The deadline fired. An interrupt inside a promise job can break the chain that would carry
   * its error to the script's result (the main promise then just stays pending), so the pump
   * ends the run on this flag rather than waiting for the error to surface.
   */
  private interrupted = false;
  private watch!: Int32Array;
  private timers = new Map<number, NodeJS.Timeout>();
  private childSeeds = new Map<number, { seed: string; groupId: number }>();
  private spent = 0;
  private finished = false;
  private pumping = false;

  constructor(private readonly start: StartMessage) {}

  async init(): Promise<void> {
    const t0 = Date.now();
    const { limits } = this.start;
    // A real byte cap: QuickJS's own memory limit counts allocations, not bytes (findings §2).
    const wasmMemory = new WebAssembly.Memory({ initial: 256, maximum: Math.max(256, Math.floor(limits.memoryMb * 16)) });
    const QuickJS = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmModule: this.start.wasm ?? compiledQuickJs(), wasmMemory }));
    this.rt = QuickJS.newRuntime();
    this.rt.setMaxStackSize(limits.maxStackBytes);
    this.rt.setMemoryLimit(-1);
    this.watch = new Int32Array(this.start.watch);
    this.rt.setInterruptHandler(() => {
      // Stop: the parent is already gone from this run; end the guest without reporting.
      if (Atomics.load(this.watch, WATCH.stop) !== 0) {
        this.finished = true;
        return true;
      }
      if (Date.now() <= this.deadline) return false;
      this.interrupted = true;
      return true;
    });
    this.intl = new IntlHost(this.start.intl);
    this.book = new GuestBookkeeping(this.start.budgetTotal, this.start.maxAgents, this.start.replay);
    this.spent = this.start.spent;
    post({ t: 'ready', startupMs: Date.now() - t0 });
    const root = this.newContext(0, this.start.file, {
      seed: '',
      g: -1,
      s: -1,
      t: -1,
      idBase: 1,
      budgetTotal: this.start.budgetTotal,
      argsJson: this.start.argsJson,
      messages: this.messages(),
    });
    this.runMain(root, this.start.compiled);
    this.pump();
  }

  private messages(): PreludeConfig['messages'] {
    const { mathRandom, dateNow, codeGeneration, parallelNotArray, parallelNotFunction, pipelineNotArray, pipelineStage, workflowRef, workflowNesting, resultFunction } = MESSAGES;
    return { mathRandom, dateNow, codeGeneration, parallelNotArray, parallelNotFunction, pipelineNotArray, pipelineStage, workflowRef, workflowNesting, resultFunction };
  }

  /** Runs guest code with the per-entry CPU deadline, stamping the watch buffer for the parent. */
  private enter<T>(f: () => T): T {
    this.deadline = Date.now() + this.start.limits.sliceMs;
    Atomics.store(this.watch, WATCH.inVm, 1);
    try {
      return f();
    } finally {
      this.deadline = Infinity;
      Atomics.store(this.watch, WATCH.inVm, 0);
      Atomics.add(this.watch, WATCH.entries, 1);
    }
  }

  private newContext(index: number, file: string, config: Omit<PreludeConfig, 'keyLength' | 'mark'>): GuestContext {
    const ctx = this.rt.newContext();
    const hostFn = ctx.newFunction('host', (...args) => this.hostCall(index, ctx, args));
    const mark = randomUUID();
    const full: PreludeConfig = { ...config, keyLength: KEY_LENGTH, mark };
    const cfg = ctx.unwrapResult(ctx.evalCode(`(${JSON.stringify(full)})`, PRELUDE_FILE));
    const preludeFn = ctx.unwrapResult(ctx.evalCode(PRELUDE, PRELUDE_FILE, { type: 'global', strict: true }));
    const api = ctx.unwrapResult(this.enter(() => ctx.callFunction(preludeFn, ctx.undefined, hostFn, cfg)));
    preludeFn.dispose();
    cfg.dispose();
    hostFn.dispose();
    this.installIntl(ctx);
    const g: GuestContext = {
      index,
      ctx,
      file,
      settle: ctx.getProp(api, 'settle'),
      helpers: ctx.getProp(api, 'helpers'),
      finish: ctx.getProp(api, 'finish'),
      describe: ctx.getProp(api, 'describe'),
      drain: ctx.getProp(api, 'drain'),
      drainJson: ctx.getProp(api, 'drainJson'),
      mark,
      pending: [],
      phase: '',
      stack: '',
      site: undefined,
      over: false,
    };
    api.dispose();
    this.contexts[index] = g;
    return g;
  }

  /** Intl and the locale-aware built-ins, answered by this worker's V8 (intlHost.ts). */
  private installIntl(ctx: QuickJSContext): void {
    const door = ctx.newFunction('intl', (...args) => intlDoor(this.intl, ctx, args));
    const fn = ctx.unwrapResult(ctx.evalCode(INTL_PRELUDE, PRELUDE_FILE, { type: 'global', strict: true }));
    const message = ctx.newString(MESSAGES.dateNow);
    ctx.unwrapResult(this.enter(() => ctx.callFunction(fn, ctx.undefined, door, message))).dispose();
    message.dispose();
    fn.dispose();
    door.dispose();
  }

  private runMain(g: GuestContext, compiled: string): void {
    const { ctx } = g;
    const r = this.enter(() => ctx.evalCode(compiled, g.file, { type: 'global', strict: true }));
    if (r.error) return this.endContext(g, false, this.errorInfo(g, r.error));
    const fn = r.value;
    const call = this.enter(() => ctx.callFunction(fn, ctx.undefined, g.helpers));
    fn.dispose();
    if (call.error) return this.endContext(g, false, this.errorInfo(g, call.error));
    g.main = call.value;
  }

  /**
   * The one door from the guest, for what must answer synchronously (agent() calls, logs,
   * phases and group ends come queued, see prelude). Never throws into the guest: refusals
   * return '!' + ErrorInfo.
   */
  private hostCall(index: number, ctx: QuickJSContext, args: QuickJSHandle[]): QuickJSHandle | undefined {
    const v = (i: number): string | undefined => {
      const h = args[i];
      if (!h) return undefined;
      const t = ctx.typeof(h);
      return t === 'undefined' ? undefined : t === 'number' ? String(ctx.getNumber(h)) : ctx.getString(h);
    };
    const n = (i: number): number => ctx.getNumber(args[i]);
    const op = ctx.getString(args[0]);
    const g = this.contexts[index];
    switch (op) {
      case 'q': {
        // Records flushed before a synchronous call or mid-burst; 'j' asks for them again as JSON.
        const live = this.unsentLive;
        if (!this.takeRecords(g, v(1) ?? '')) return ctx.newString('j');
        // A burst's agents leave now: the parent starts them while this VM entry goes on.
        // Journal hits are settled here and only counted there: 'c' says nothing needs to hurry.
        if (this.unsentLive === live) return ctx.newString('c');
        if (this.unsentLive >= 64) this.flush();
        return undefined;
      }
      case 'precheck': {
        const err = this.book.precheck(v(1) ?? '', n(2), this.spent);
        return ctx.newString(err ?? '');
      }
      case 'group': {
        const op = this.book.group(v(1) as 'parallel' | 'pipeline', n(2), n(3), n(4), n(5), n(6), userSite(g, v(7)));
        const items = itemLabelsFrom(v(8), op.size);
        this.ops.push(items ? { ...op, items } : op);
        return ctx.newNumber(op.groupId);
      }
      case 'hash':
        return ctx.newString(this.book.hash(v(1) ?? ''));
      case 'spent':
        return ctx.newNumber(this.spent);
      case 'timer': {
        const id = n(1);
        this.timers.set(id, setTimeout(() => {
          this.timers.delete(id);
          this.deliver([[id, true, undefined]]);
        }, n(2)));
        return undefined;
      }
      case 'clearTimer': {
        const id = n(1);
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
        return undefined;
      }
      case 'workflow': {
        const id = n(1);
        const groupId = this.book.newGroupId();
        this.childSeeds.set(id, { seed: this.book.resolve(v(4) ?? ''), groupId });
        this.book.outstanding++;
        this.ops.push({
          op: 'workflow',
          id,
          groupId,
          ref: JSON.parse(v(2) ?? '{}') as { name: string } | { scriptPath: string },
          argsJson: v(3),
          position: GuestBookkeeping.position(n(5), n(6), n(7)),
          site: userSite(g, v(8)),
        });
        return ctx.newString('');
      }
      default:
        return ctx.newString('!' + JSON.stringify({ name: 'Error', message: `unknown host operation ${op}` }));
    }
  }

  /**
   * Takes the guest's queued records (prelude takeQueue/drainJson text) in call order: each
   * agent() call is checked against the cap and the budget (a refusal settles its promise with
   * the error in this same pump), keyed, settled from the journal when it is there, and passed
   * on to the parent as an op. False when the \u0001-joined text does not frame (a field held a
   * \u0001, or a NUL cut it short): nothing was taken, the caller asks for the same records as JSON.
   */
  private takeRecords(g: GuestContext | undefined, text: string): boolean {
    let f: unknown[];
    let i: number;
    let end: number;
    const json = text.charCodeAt(0) === 91; // '[': the JSON form
    if (json) {
      try {
        f = JSON.parse(text) as unknown[];
      } catch {
        f = ['?'];
      }
      i = 0;
      end = f.length;
    } else {
      f = text.split('\u0001');
      end = Number(f[0]) + 1;
      if (f.length !== end + 1 || f[end] !== g?.mark) return false;
      i = 1;
    }
    if (!g || g.over) return true;
    // A string crossing as C text turns each lone surrogate into three U+FFFD; the JSON form
    // keeps them, so it is made to read the same: a prompt's key must not depend on which form
    // its batch happened to take.
    const str = (x: unknown): string =>
      typeof x === 'string' ? (json ? x.replace(LONE_SURROGATE, '\ufffd\ufffd\ufffd') : x) : x === null || x === undefined ? '' : String(x);
    while (i < end) {
      switch (f[i]) {
        case 'a': {
          const id = Number(f[i + 1]);
          const stack = str(f[i + 8]);
          // '' = the previous record's stack; the last one seen is cached per context.
          if (stack !== '' && stack !== g.stack) {
            g.stack = stack;
            g.site = userSite(g, stack);
          }
          const optsJson = f[i + 3] ? str(f[i + 3]) : undefined;
          const res = this.book.agent(id, str(f[i + 2]), optsJson, str(f[i + 4]), Number(f[i + 5]), Number(f[i + 6]), Number(f[i + 7]), g.phase, g.site, g.index, this.spent);
          if ('error' in res) g.pending.push(settlementJson([id, false, res.error]));
          else {
            this.ops.push(res.op);
            if (res.cached) g.pending.push(settlementJson([id, true, res.cached.json]));
            else this.unsentLive++;
          }
          i += 9;
          break;
        }
        case 'l': {
          const level = str(f[i + 1]);
          this.ops.push({ op: 'log', level: level === 'warn' || level === 'error' ? level : 'info', message: str(f[i + 2]), ctx: g.index });
          i += 3;
          break;
        }
        case 'p':
          g.phase = str(f[i + 1]);
          this.ops.push({ op: 'phase', title: g.phase, ctx: g.index });
          i += 2;
          break;
        case 'e': {
          let failed: number[] = [];
          try {
            failed = JSON.parse(str(f[i + 2])) as number[];
          } catch {
            // the prelude wrote it from numbers; keep the group end even if not
          }
          this.ops.push({ op: 'groupEnd', groupId: Number(f[i + 1]), failed });
          i += 3;
          break;
        }
        default:
          // Only the prelude writes records; stop rather than misread the rest.
          this.ops.push({ op: 'log', level: 'error', message: 'internal: unreadable sandbox record', ctx: g.index });
          return true;
      }
    }
    return true;
  }

  /**
   * Takes the records VM entries queued in one context. A failing drain is fatal (false), or,
   * when `quiet` (the run is ending anyway), dropped: the context may be out of memory by then.
   */
  private drain(g: GuestContext, quiet = false): boolean {
    const { ctx } = g;
    const call = (fn: QuickJSHandle): string | undefined => {
      const r = this.enter(() => ctx.callFunction(fn, ctx.undefined));
      if (r.error) {
        if (quiet) r.error.dispose();
        else this.fatal(this.errorInfo(g, r.error));
        return undefined;
      }
      const text = ctx.getString(r.value);
      r.value.dispose();
      return text;
    };
    try {
      const text = call(g.drain);
      if (text === undefined) return false;
      if (text === '' || this.takeRecords(g, text)) return true;
      const json = call(g.drainJson);
      if (json === undefined) return false;
      this.takeRecords(g, json);
      return true;
    } catch (e) {
      if (!quiet) throw e;
      return false;
    }
  }

  receive(msg: ParentMessage): void {
    switch (msg.t) {
      case 'settle':
        // Pre-serialised per context by the parent: cloning one string beats cloning 1000 arrays.
        for (const [index, count, json] of msg.batches) {
          this.book.outstanding -= count;
          const g = this.contexts[index];
          // Without its brackets: everything pending for a context goes in as one flat array.
          if (g && !g.over && json.length > 2) g.pending.push(json.slice(1, -1));
        }
        this.pump();
        break;
      case 'budget':
        this.spent = msg.spent;
        break;
      case 'child':
        this.startChild(msg);
        break;
    }
  }

  private deliver(items: Settlement[]): void {
    for (const it of items) {
      const g = this.contexts[Math.floor((it[0] - 1) / ID_SPAN)];
      if (g && !g.over) g.pending.push(settlementJson(it));
    }
    this.pump();
  }

  private startChild(msg: Extract<ParentMessage, { t: 'child' }>): void {
    const seed = this.childSeeds.get(msg.id);
    const index = this.contexts.length;
    const g = this.newContext(index, msg.file, {
      seed: seed?.seed ?? '',
      g: msg.groupId,
      s: -1,
      t: -1,
      idBase: index * ID_SPAN + 1,
      childName: msg.name,
      budgetTotal: this.start.budgetTotal,
      argsJson: msg.argsJson,
      messages: this.messages(),
    });
    g.parentId = msg.id;
    this.runMain(g, msg.compiled);
    this.pump();
  }

  /**
   * Delivers settlements, runs the job queue, takes the agent() calls and other records the
   * guests queued, and checks whether scripts finished.
   */
  pump(): void {
    if (this.finished || this.pumping) return;
    this.pumping = true;
    try {
      for (let again = true; again && !this.finished; ) {
        again = false;
        // An entry outside the pump (the script's first run, a timer) already hit the deadline.
        if (this.interrupted) return this.fatal({ name: 'InternalError', message: sliceExceeded(this.start.limits) });
        for (const g of this.contexts) {
          if (!g || g.over || g.pending.length === 0) continue;
          const batch = '[' + g.pending.join(',') + ']';
          g.pending = [];
          const r = this.enter(() => g.ctx.newString(batch).consume((h) => g.ctx.callFunction(g.settle, g.ctx.undefined, h)));
          if (r.error) return this.fatal(this.errorInfo(g, r.error));
          r.value.dispose();
        }
        const jobs = this.enter(() => this.rt.executePendingJobs(-1));
        if (this.interrupted) {
          jobs.error?.dispose();
          return this.fatal({ name: 'InternalError', message: sliceExceeded(this.start.limits) });
        }
        if (jobs.error) {
          const owner = this.contexts.find((c) => c && c.ctx === jobs.error!.context) ?? this.contexts[0];
          return this.fatal(this.errorInfo(owner, jobs.error));
        }
        // The script's evaluation, settle() and the jobs above are every VM entry that runs user
        // code, so this sees every call they queued, before any script can be seen to finish.
        for (const g of this.contexts) {
          if (g && !g.over && !this.drain(g)) return;
        }
        for (const g of this.contexts) {
          if (!g || g.over || !g.main) continue;
          const st = g.ctx.getPromiseState(g.main);
          if (st.type === 'pending') continue;
          if (st.type === 'fulfilled') {
            const fin = this.enter(() => g.ctx.callFunction(g.finish, g.ctx.undefined, st.value));
            st.value.dispose();
            if (fin.error) return this.fatal(this.errorInfo(g, fin.error));
            // '1' + result JSON, or '0' + ErrorInfo JSON (prelude finish()).
            const out = g.ctx.getString(fin.value);
            fin.value.dispose();
            if (out[0] === '1') this.endContext(g, true, out.length > 1 ? out.slice(1) : undefined);
            else this.endContext(g, false, readErrorInfo(out.slice(1)));
          } else {
            this.endContext(g, false, this.errorInfo(g, st.error));
          }
          again = true;
        }
        // Settlements made during this pump (journal replays, refusals) are delivered before sleeping.
        if (!again && this.contexts.some((c) => c && !c.over && c.pending.length > 0)) again = true;
        if (!again && !this.finished) this.checkDeadlock();
      }
    } finally {
      this.pumping = false;
      this.flush();
    }
  }

  private checkDeadlock(): void {
    const root = this.contexts[0];
    if (!root || root.over || this.rt.hasPendingJob()) return;
    if (this.book.outstanding > 0 || this.timers.size > 0) return;
    if (this.contexts.some((g) => g && g.pending.length > 0)) return;
    this.fatal({
      name: 'Error',
      message:
        'The script is waiting for a promise that can never settle: no agent, workflow or timer is pending. ' +
        'Check for a `new Promise` whose resolve is never called.',
    });
  }

  private flush(): void {
    if (this.ops.length === 0) return;
    post({ t: 'ops', json: JSON.stringify(this.ops) });
    this.ops = [];
    this.unsentLive = 0;
  }

  private endContext(g: GuestContext, ok: true, payload: string | undefined): void;
  private endContext(g: GuestContext, ok: false, payload: ErrorInfo): void;
  private endContext(g: GuestContext, ok: boolean, payload: string | undefined | ErrorInfo): void {
    if (g.index === 0) {
      // Whatever the contexts queued before the end still reaches the parent, as it did when
      // every call was a host call (best effort: a context may be out of memory by now).
      for (const c of this.contexts) if (c && !c.over) this.drain(c, true);
      g.over = true;
      this.finished = true;
      this.flush();
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
      if (ok) post({ t: 'done', ok: true, resultJson: payload as string | undefined });
      else post({ t: 'done', ok: false, error: payload as ErrorInfo });
      return;
    }
    // A child workflow settles its parent's workflow() promise right here, in the worker.
    // Its last ops go first, so the parent sees them before the child's end.
    g.over = true;
    const id = g.parentId!;
    this.book.outstanding--;
    this.flush();
    post({ t: 'childDone', id, ok, error: ok ? undefined : (payload as ErrorInfo) });
    const root = this.contexts[0];
    const item: Settlement = ok ? [id, true, payload as string | undefined] : [id, false, payload as ErrorInfo];
    root.pending.push(settlementJson(item));
  }

  private fatal(error: ErrorInfo): void {
    const root = this.contexts[0];
    if (root && !root.over) this.endContext(root, false, error);
    else if (!this.finished) {
      this.finished = true;
      post({ t: 'done', ok: false, error });
    }
  }

  /** Turns a guest exception handle into ErrorInfo (disposes the handle). */
  private errorInfo(g: GuestContext, handle: QuickJSHandle | unknown): ErrorInfo {
    if (!handle || typeof (handle as QuickJSHandle).alive !== 'boolean') {
      // getPromiseState hands back a host Error for some states (findings gotcha 3).
      const e = handle as Error | undefined;
      return { name: e?.name ?? 'Error', message: e?.message ?? String(handle) };
    }
    const h = handle as QuickJSHandle;
    try {
      // Under the CPU deadline too: a thrown Proxy or getter can run guest code while being read.
      const r = this.enter(() => g.ctx.callFunction(g.describe, g.ctx.undefined, h));
      if (r.error) {
        r.error.dispose();
        return { name: 'InternalError', message: 'the script failed and its error could not be read' };
      }
      const info = readErrorInfo(g.ctx.getString(r.value));
      r.value.dispose();
      return explainGuestError(info, this.start.limits);
    } catch {
      return { name: 'InternalError', message: 'the script failed (out of memory while reading its error)' };
    } finally {
      if (h.alive) h.dispose();
    }
  }
}

if (parentPort) {
  let worker: SandboxWorker | undefined;
  const early: ParentMessage[] = [];
  parentPort.on('message', (msg: ParentMessage) => {
    if (msg.t === 'start') {
      // A reused worker: the previous run is over; everything from here on is the new run's.
      worker = undefined;
      early.length = 0;
      const w = new SandboxWorker(msg);
      w.init().then(
        () => {
          worker = w;
          for (const m of early.splice(0)) w.receive(m);
        },
        (e: Error) => post({ t: 'done', ok: false, error: { name: e.name, message: `sandbox failed to start: ${e.message}` } }),
      );
    } else if (worker) worker.receive(msg);
    else early.push(msg);
  });
}
