// The one place that decides whether a queued agent may start now that it holds a slot. Today
// only the hard budget ceiling refuses; caps that hold an agent and pause the run (issue 11) add
// their verdicts here, so the gate, the attempts and the run stay as they are.
import { MESSAGES } from '../errors';
import type { ErrorInfo } from '../types';
import type { LiveAgent } from './agentAttempts';

export type StartVerdict = { kind: 'start' } | { kind: 'refuse'; error: ErrorInfo };

export interface StartPolicy {
  mayStart(a: LiveAgent): StartVerdict;
}

export class AgentAdmission implements StartPolicy {
  constructor(
    /** Output-token ceiling of budget.total; null = none. */
    private readonly budgetTotal: number | null,
    private readonly outputSpent: () => number,
  ) {}

  mayStart(): StartVerdict {
    const total = this.budgetTotal;
    const spent = this.outputSpent();
    if (total === null || spent < total) return { kind: 'start' };
    return { kind: 'refuse', error: { name: 'WorkflowBudgetExceededError', message: MESSAGES.budgetExceeded(spent, total) } };
  }
}
