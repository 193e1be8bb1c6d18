// Spend against the plan (issue 11 item 5), the one text the run node, the status bar and dwf's
// live view show: agents done of the projected count and dollars of the projected range, read
// honestly past the high end. A resumed run's dollars are the run's (earlier sessions included,
// since the plan covers the whole run); what this session spent is said apart, and replayed
// agents cost nothing again.
import { usd } from '../format';
import type { RunPlan } from '../types';
import { doneOf, type RunCounts } from './runCounts';

export interface SpendInput {
  /** The run's counts (runCounts); `spent.costUsd` is this session's spend. */
  counts: RunCounts;
  /** The plan the run started with; undefined: spend only. */
  plan?: RunPlan;
  /** USD spent by earlier sessions of this run (before a resume). */
  earlierUsd?: number;
}

export interface SpendText {
  /** `12 of 30–40 agents · $0.42 of $0.90–$1.30`; empty with no plan and nothing spent. */
  short: string;
  /** The details, one line each, for a tooltip. */
  detail: string[];
}

const rangeText = (r: { low: number; high: number }, unit: (n: number) => string) =>
  r.low === r.high ? unit(r.low) : `${unit(r.low)}–${unit(r.high)}`;
const agentsRange = (r: { low: number; high: number }) => rangeText(r, String);
const usdRange = (r: { low: number; high: number }) => rangeText(r, usd);

export function spendText({ counts, plan, earlierUsd = 0 }: SpendInput): SpendText {
  const session = Math.max(0, counts.spent.costUsd ?? 0);
  const earlier = Math.max(0, earlierUsd);
  const total = session + earlier;
  const done = doneOf(counts);
  const parts: string[] = [];
  const detail: string[] = [];
  if (plan) {
    parts.push(
      counts.total > plan.agents.high
        ? `${counts.total} agents — above the plan's ${agentsRange(plan.agents)}`
        : `${done} of ${agentsRange(plan.agents)} agents`,
    );
    parts.push(
      total > plan.costUsd.high
        ? `${usd(total)} — above the plan's ${usdRange(plan.costUsd)}`
        : `${usd(total)} of ${usdRange(plan.costUsd)}`,
    );
    detail.push(
      `Plan: ${agentsRange(plan.agents)} agents, ${usdRange(plan.costUsd)} at list prices (${plan.basis === 'history' ? 'from earlier runs' : 'static estimate'})`,
    );
    detail.push(`Agents: ${done} done of ${counts.total} started`);
  } else {
    if (total > 0) parts.push(usd(total));
    detail.push('No priced plan for this run: spend only');
  }
  if (earlier > 0) {
    if (parts.length) parts.push(`${usd(session)} this session`);
    detail.push(`Spent: ${usd(total)} in all — ${usd(session)} this session, ${usd(earlier)} by earlier sessions`);
  } else detail.push(`Spent: ${usd(total)}`);
  const replayed = counts.cachedUsage.costUsd ?? 0;
  if (counts.cached > 0)
    detail.push(
      `${counts.cached} agent${counts.cached === 1 ? '' : 's'} replayed from the journal: not paid again this session${replayed > 0 ? ` (${usd(replayed)} when they ran)` : ''}`,
    );
  return { short: parts.join(' · '), detail };
}
