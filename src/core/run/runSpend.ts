// What the run has spent: the token total (this session; the record adds earlier sessions) and
// the guest's view of it, posted at most once per tick so budget.spent() stays current (spec §3.7)
// without a message per streamed delta.
import { addUsage, zeroUsage, type TokenUsage } from '../types';

export class RunSpend {
  private total = zeroUsage();
  private postQueued = false;

  constructor(
    /** Tells the guest the output tokens spent so far. */
    private readonly postSpent: (outputTokens: number) => void,
  ) {}

  get usage(): TokenUsage {
    return this.total;
  }

  add(delta: TokenUsage): void {
    this.total = addUsage(this.total, delta);
    // Posted with or without a ceiling: budget.spent() reports real spend either way.
    if (this.postQueued) return;
    this.postQueued = true;
    setImmediate(() => {
      this.postQueued = false;
      this.postSpent(this.total.output);
    });
  }
}
