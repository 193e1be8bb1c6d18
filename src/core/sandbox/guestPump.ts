// The worker's pump: delivers settlements, runs the job queue, takes the agent() calls and other
// records the guests queued, and checks whether scripts finished — until nothing moves. Then it
// posts the ops taken, and reports a script that waits on nothing that could ever settle.
import { FINISH } from './guestWire';
import { readErrorInfo, sliceExceeded } from './guestErrors';
import type { GuestBookkeeping } from './bookkeeping';
import type { GuestContext } from './guestContext';
import type { GuestTimers } from './guestTimers';
import type { GuestVm } from './guestVm';
import type { OpsOutbox } from './opsOutbox';
import type { SandboxLimits } from './protocol';
import type { ErrorInfo } from '../types';

/** The worker state and steps the pump drives. */
export interface PumpedWorker {
  readonly vm: GuestVm;
  readonly contexts: GuestContext[];
  readonly limits: SandboxLimits;
  readonly book: GuestBookkeeping;
  readonly timers: GuestTimers;
  readonly outbox: OpsOutbox;
  /** The run is over (ended, failed or stopped): nothing more runs. */
  readonly finished: boolean;
  /** Takes a context's queued records; false when that failed fatally. */
  drain(g: GuestContext): boolean;
  endContext(g: GuestContext, ok: true, resultJson: string | undefined): void;
  endContext(g: GuestContext, ok: false, error: ErrorInfo): void;
  fatal(error: ErrorInfo): void;
  /** A guest exception handle as ErrorInfo (disposes it). */
  errorInfo(g: GuestContext, handle: unknown): ErrorInfo;
}

export class GuestPump {
  private pumping = false;

  constructor(private readonly w: PumpedWorker) {}

  run(): void {
    const w = this.w;
    if (w.finished || this.pumping) return;
    this.pumping = true;
    try {
      for (let again = true; again && !w.finished;) {
        again = false;
        // An entry outside the pump (the script's first run, a timer) already hit the deadline.
        if (w.vm.interrupted) return w.fatal({ name: 'InternalError', message: sliceExceeded(w.limits) });
        if (!this.deliverSettlements()) return;
        const jobs = w.vm.enter(() => w.vm.rt.executePendingJobs(-1));
        if (w.vm.interrupted) {
          jobs.error?.dispose();
          return w.fatal({ name: 'InternalError', message: sliceExceeded(w.limits) });
        }
        if (jobs.error) {
          const owner = w.contexts.find((c) => c && c.ctx === jobs.error!.context) ?? w.contexts[0];
          return w.fatal(w.errorInfo(owner, jobs.error));
        }
        // The script's evaluation, settle() and the jobs above are every VM entry that runs user
        // code, so this sees every call they queued, before any script can be seen to finish.
        for (const g of w.contexts) {
          if (g && !g.over && !w.drain(g)) return;
        }
        const ended = this.endFinishedScripts();
        if (ended === undefined) return;
        again = ended;
        // Settlements made during this pump (journal replays, refusals) are delivered before sleeping.
        if (!again && w.contexts.some((c) => c && !c.over && c.pending.length > 0)) again = true;
        if (!again && !w.finished) this.checkDeadlock();
      }
    } finally {
      this.pumping = false;
      w.outbox.flush();
    }
  }

  /** Each context's pending settlements, as one array per context; false after a fatal error. */
  private deliverSettlements(): boolean {
    const w = this.w;
    for (const g of w.contexts) {
      if (!g || g.over || g.pending.length === 0) continue;
      const batch = '[' + g.pending.join(',') + ']';
      g.pending = [];
      const r = w.vm.enter(() =>
        g.ctx.newString(batch).consume((h) => g.ctx.callFunction(g.settle, g.ctx.undefined, h)),
      );
      if (r.error) {
        w.fatal(w.errorInfo(g, r.error));
        return false;
      }
      r.value.dispose();
    }
    return true;
  }

  /** Ends every context whose main promise settled: whether any did, undefined after a fatal error. */
  private endFinishedScripts(): boolean | undefined {
    const w = this.w;
    let any = false;
    for (const g of w.contexts) {
      if (!g || g.over || !g.main) continue;
      const st = g.ctx.getPromiseState(g.main);
      if (st.type === 'pending') continue;
      if (st.type === 'fulfilled') {
        const fin = w.vm.enter(() => g.ctx.callFunction(g.finish, g.ctx.undefined, st.value));
        st.value.dispose();
        if (fin.error) {
          w.fatal(w.errorInfo(g, fin.error));
          return undefined;
        }
        // FINISH.ok + result JSON, or FINISH.failed + ErrorInfo JSON (prelude finish()).
        const out = g.ctx.getString(fin.value);
        fin.value.dispose();
        const body = out.slice(FINISH.ok.length);
        if (out.startsWith(FINISH.ok)) w.endContext(g, true, body.length > 0 ? body : undefined);
        else w.endContext(g, false, readErrorInfo(out.slice(FINISH.failed.length)));
      } else {
        w.endContext(g, false, w.errorInfo(g, st.error));
      }
      any = true;
    }
    return any;
  }

  private checkDeadlock(): void {
    const w = this.w;
    const root = w.contexts[0];
    if (!root || root.over || w.vm.rt.hasPendingJob()) return;
    if (w.book.outstanding > 0 || w.timers.size > 0) return;
    if (w.contexts.some((g) => g && g.pending.length > 0)) return;
    w.fatal({
      name: 'Error',
      message:
        'The script is waiting for a promise that can never settle: no agent, workflow or timer is pending. ' +
        'Check for a `new Promise` whose resolve is never called.',
    });
  }
}
