// The guest operations the worker has taken and not yet posted to the parent: flushed once per
// pump, or early when a synchronous burst has queued HAND_OVER_AGENTS agents the parent must run.
import { HAND_OVER_AGENTS } from './guestWire';
import type { GuestOp, WorkerMessage } from './protocol';

export class OpsOutbox {
  private ops: GuestOp[] = [];
  /** Agents among `ops` the parent has to run (not journal hits). */
  private unsentLive = 0;

  constructor(private readonly post: (msg: WorkerMessage) => void) {}

  push(op: GuestOp): void {
    this.ops.push(op);
  }

  /** An agent the parent has to start (not settled from the journal). */
  pushLiveAgent(op: GuestOp): void {
    this.ops.push(op);
    this.unsentLive++;
  }

  /** Live agents waiting to be posted. */
  get liveAgents(): number {
    return this.unsentLive;
  }

  /** A burst queued enough live agents that the parent should start them now. */
  get handOverDue(): boolean {
    return this.unsentLive >= HAND_OVER_AGENTS;
  }

  flush(): void {
    if (this.ops.length === 0) return;
    // JSON text: cheaper to send than a structured clone of many small objects.
    this.post({ t: 'ops', json: JSON.stringify(this.ops) });
    this.ops = [];
    this.unsentLive = 0;
  }
}
