// One run's sandbox inside the worker thread: the guest contexts (root script and child
// workflows), what the parent sends (settlements, spend, child starts) and how a context ends.
// The VM and its deadline are guestVm.ts, the host door hostCalls.ts, the records' decoding
// guestRecords.ts/recordIntake.ts, and the pump guestPump.ts. (Not named sandboxWorker: that is
// the worker bundle's name, which defaultWorkerPath looks for next to the code.)
import type { QuickJSHandle } from 'quickjs-emscripten-core';
import { IntlHost } from './intlHost';
import {
  ID_SPAN,
  settlementJson,
  type ParentMessage,
  type Settlement,
  type StartMessage,
  type WorkerMessage,
} from './protocol';
import { GuestBookkeeping } from './bookkeeping';
import { explainGuestError, readErrorInfo } from './guestErrors';
import { GuestVm } from './guestVm';
import { openContext, type ContextSettings, type GuestContext } from './guestContext';
import { answerHostCall, type HostCallState } from './hostCalls';
import { takeRecords } from './recordIntake';
import { GuestPump, type PumpedWorker } from './guestPump';
import { GuestTimers } from './guestTimers';
import { OpsOutbox } from './opsOutbox';
import type { ErrorInfo } from '../types';

export class SandboxSession implements HostCallState, PumpedWorker {
  vm!: GuestVm;
  readonly contexts: GuestContext[] = [];
  readonly outbox: OpsOutbox;
  readonly book: GuestBookkeeping;
  readonly timers = new GuestTimers();
  readonly childSeeds = new Map<number, { seed: string; groupId: number }>();
  readonly limits: StartMessage['limits'];
  spent: number;
  finished = false;
  private intl: IntlHost;
  private readonly pump = new GuestPump(this);

  constructor(
    private readonly start: StartMessage,
    private readonly post: (msg: WorkerMessage) => void,
  ) {
    this.limits = start.limits;
    this.outbox = new OpsOutbox(post);
    this.intl = new IntlHost(start.intl);
    this.book = new GuestBookkeeping(start.budgetTotal, start.maxAgents, start.replay);
    this.spent = start.spent;
  }

  async init(): Promise<void> {
    const t0 = Date.now();
    this.vm = await GuestVm.create(this.start, () => (this.finished = true));
    this.post({ t: 'ready', startupMs: Date.now() - t0 });
    const root = this.newContext(0, this.start.file, {
      seed: '',
      g: -1,
      s: -1,
      t: -1,
      idBase: 1,
      budgetTotal: this.start.budgetTotal,
      argsJson: this.start.argsJson,
    });
    this.runMain(root, this.start.compiled);
    this.pump.run();
  }

  private newContext(index: number, file: string, settings: ContextSettings): GuestContext {
    const g = openContext(this.vm, this.intl, index, file, settings, (ctx, args) =>
      answerHostCall(this, this.contexts[index], ctx, args),
    );
    this.contexts[index] = g;
    return g;
  }

  private runMain(g: GuestContext, compiled: string): void {
    const { ctx } = g;
    const r = this.vm.enter(() => ctx.evalCode(compiled, g.file, { type: 'global', strict: true }));
    if (r.error) return this.endContext(g, false, this.errorInfo(g, r.error));
    const fn = r.value;
    const call = this.vm.enter(() => ctx.callFunction(fn, ctx.undefined, g.helpers));
    fn.dispose();
    if (call.error) return this.endContext(g, false, this.errorInfo(g, call.error));
    g.main = call.value;
  }

  settleEmpty(id: number): void {
    this.deliver([[id, true, undefined]]);
  }

  /**
   * Takes the records VM entries queued in one context. A failing drain is fatal (false), or,
   * when `quiet` (the run is ending anyway), dropped: the context may be out of memory by then.
   */
  drain(g: GuestContext, quiet = false): boolean {
    const { ctx } = g;
    const call = (fn: QuickJSHandle): string | undefined => {
      const r = this.vm.enter(() => ctx.callFunction(fn, ctx.undefined));
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
      if (text === '' || takeRecords(this.book, this.outbox, this.spent, g, text)) return true;
      const json = call(g.drainJson);
      if (json === undefined) return false;
      takeRecords(this.book, this.outbox, this.spent, g, json);
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
        this.pump.run();
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
    this.pump.run();
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
    });
    g.parentId = msg.id;
    this.runMain(g, msg.compiled);
    this.pump.run();
  }

  endContext(g: GuestContext, ok: true, payload: string | undefined): void;
  endContext(g: GuestContext, ok: false, payload: ErrorInfo): void;
  endContext(g: GuestContext, ok: boolean, payload: string | undefined | ErrorInfo): void {
    if (g.index === 0) {
      // Whatever the contexts queued before the end still reaches the parent, as it did when
      // every call was a host call (best effort: a context may be out of memory by now).
      for (const c of this.contexts) if (c && !c.over) this.drain(c, true);
      g.over = true;
      this.finished = true;
      this.outbox.flush();
      this.timers.clearAll();
      if (ok) this.post({ t: 'done', ok: true, resultJson: payload as string | undefined });
      else this.post({ t: 'done', ok: false, error: payload as ErrorInfo });
      return;
    }
    // A child workflow settles its parent's workflow() promise right here, in the worker.
    // Its last ops go first, so the parent sees them before the child's end.
    g.over = true;
    const id = g.parentId!;
    this.book.outstanding--;
    this.outbox.flush();
    this.post({ t: 'childDone', id, ok, error: ok ? undefined : (payload as ErrorInfo) });
    const root = this.contexts[0];
    const item: Settlement = ok ? [id, true, payload as string | undefined] : [id, false, payload as ErrorInfo];
    root.pending.push(settlementJson(item));
  }

  fatal(error: ErrorInfo): void {
    const root = this.contexts[0];
    if (root && !root.over) this.endContext(root, false, error);
    else if (!this.finished) {
      this.finished = true;
      this.post({ t: 'done', ok: false, error });
    }
  }

  /** Turns a guest exception handle into ErrorInfo (disposes the handle). */
  errorInfo(g: GuestContext, handle: QuickJSHandle | unknown): ErrorInfo {
    if (!handle || typeof (handle as QuickJSHandle).alive !== 'boolean') {
      // getPromiseState hands back a host Error for some states (findings gotcha 3).
      const e = handle as Error | undefined;
      return { name: e?.name ?? 'Error', message: e?.message ?? String(handle) };
    }
    const h = handle as QuickJSHandle;
    try {
      // Under the CPU deadline too: a thrown Proxy or getter can run guest code while being read.
      const r = this.vm.enter(() => g.ctx.callFunction(g.describe, g.ctx.undefined, h));
      if (r.error) {
        r.error.dispose();
        return { name: 'InternalError', message: 'the script failed and its error could not be read' };
      }
      const info = readErrorInfo(g.ctx.getString(r.value));
      r.value.dispose();
      return explainGuestError(info, this.limits);
    } catch {
      return { name: 'InternalError', message: 'the script failed (out of memory while reading its error)' };
    } finally {
      if (h.alive) h.dispose();
    }
  }
}
