// When a run is large enough to be confirmed with its priced plan (issue 11 item 3), for both hosts:
// above 25 agents or 1.5M projected tokens (Claude Code's thresholds), measured on the plan's HIGH
// end, so a range the estimator cannot narrow is asked about rather than waved through.
import { count } from '../format';
import { usdText } from './planText';
import type { Range } from './range';

export interface ConfirmThresholds {
  /** A run whose plan may start more agents than this is confirmed. */
  agents: number;
  /** A run whose plan may use more tokens (input incl. cache, plus output) than this is confirmed. */
  tokens: number;
}

export const DEFAULT_CONFIRM_THRESHOLDS: Readonly<ConfirmThresholds> = { agents: 25, tokens: 1_500_000 };

/** What of a plan the decision reads (a PricedPlan has it). */
export interface PlanSize {
  agents: Range;
  tokens: { input: Range; output: Range };
  costUsd: Range;
}

export interface LargeRun {
  /** The plan's high ends. */
  agents: number;
  tokens: number;
  /** "up to 40 agents (above 25)", "up to 2.1M tokens (above 1.5M)": one per threshold crossed. */
  reasons: string[];
  /** The reasons in one line. */
  reason: string;
}

/** The run is large when its plan's high end is above a threshold; undefined when it is not. */
export function largeRun(plan: PlanSize, thresholds: ConfirmThresholds): LargeRun | undefined {
  const agents = plan.agents.high;
  const tokens = plan.tokens.input.high + plan.tokens.output.high;
  const reasons: string[] = [];
  if (agents > thresholds.agents) reasons.push(`up to ${agents} agents (above ${thresholds.agents})`);
  if (tokens > thresholds.tokens) reasons.push(`up to ${count(tokens)} tokens (above ${count(thresholds.tokens)})`);
  return reasons.length ? { agents, tokens, reasons, reason: reasons.join('; ') } : undefined;
}

/** A threshold as a setting or flag may hold it: a number ≥ 0; anything else is not one. */
function validThreshold(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

/**
 * One threshold from where it may be set: the person's own value (or the default) tightened by any
 * workspace value. The lower wins, so a cloned repository's settings can ask more often, never less.
 */
export function stricterThreshold(fallback: number, user: unknown, ...workspace: unknown[]): number {
  let t = validThreshold(user) ?? fallback;
  for (const w of workspace) {
    const v = validThreshold(w);
    if (v !== undefined && v < t) t = v;
  }
  return t;
}

const agentsPhrase = (r: Range) => (r.low === r.high ? `${r.high} agents` : `up to ${r.high} agents`);

/** The terminal's question: "Run up to 40 agents, about $1.20–$3.40?" */
export function largeRunQuestion(plan: PlanSize): string {
  return `Run ${agentsPhrase(plan.agents)}, about ${usdText(plan.costUsd)}?`;
}

/** The dialog's Run button: "Run 40 Agents", "Run up to 40 Agents". */
export function largeRunButton(plan: PlanSize): string {
  return `Run ${agentsPhrase(plan.agents).replace('agents', 'Agents')}`;
}
