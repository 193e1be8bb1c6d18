// The one place that decides whether a queued agent may start now that it holds a slot: the hard
// budget ceiling refuses (agent() throws), and the caps of issue 11 hold the agent instead, so the
// run pauses once the agents already running have finished.
import { MESSAGES } from '../errors';
import type { ErrorInfo, PauseInfo, RunCaps } from '../types';
import type { LiveAgent } from './agentAttempts';

export type StartVerdict =
  { kind: 'start' } | { kind: 'refuse'; error: ErrorInfo } | { kind: 'hold'; pause: PauseInfo };

export interface StartPolicy {
  mayStart(a: LiveAgent): StartVerdict;
}

export type { RunCaps } from '../types';

export interface AdmissionMeters {
  /** Output tokens spent this session, for budget.total. */
  outputSpent(): number;
  /** USD spent by the run so far, earlier sessions included. */
  costSpent(): number;
  /** Agents replayed from the journal this session (they ran in an earlier one). */
  replayed(): number;
}

export class AgentAdmission implements StartPolicy {
  private started = 0;

  constructor(
    /** Output-token ceiling of budget.total; null = none. */
    private readonly budgetTotal: number | null,
    private readonly caps: RunCaps,
    private readonly meters: AdmissionMeters,
  ) {}

  mayStart(): StartVerdict {
    const total = this.budgetTotal;
    const spent = this.meters.outputSpent();
    if (total !== null && spent >= total) {
      return {
        kind: 'refuse',
        error: { name: 'WorkflowBudgetExceededError', message: MESSAGES.budgetExceeded(spent, total) },
      };
    }
    const hold = this.capReached();
    if (hold) return { kind: 'hold', pause: hold };
    this.started++;
    return { kind: 'start' };
  }

  /** The cap the next agent would cross, if any. Cost is checked first: it is the one that costs money. */
  private capReached(): PauseInfo | undefined {
    const { maxCostUsd, maxAgents } = this.caps;
    if (maxCostUsd !== undefined) {
      const cost = this.meters.costSpent();
      if (cost >= maxCostUsd) return { reason: 'cost-cap', limit: maxCostUsd, spent: cost };
    }
    if (maxAgents !== undefined) {
      const agents = this.started + this.meters.replayed();
      if (agents >= maxAgents) return { reason: 'agent-cap', limit: maxAgents, spent: agents };
    }
    return undefined;
  }
}
