// A priced plan as text (dwf estimate, the pre-run dialog) and as the one JSON object
// `dwf estimate --json` prints (issue 11 item 1).
import { count, usd } from '../format';
import type { PricedPlan } from './plan';
import type { Range } from './range';

export interface PlanJson {
  agents: Range;
  tokens: { input: Range; output: Range };
  costUsd: Range;
  phases: { title: string; agents: Range; costUsd: Range }[];
  basis: 'static' | 'history';
}

const cents = (n: number) => Math.round(n * 10_000) / 10_000;
const money = (r: Range): Range => ({ low: cents(r.low), high: cents(r.high) });

export function planJson(plan: PricedPlan): PlanJson {
  return {
    agents: plan.agents,
    tokens: plan.tokens,
    costUsd: money(plan.costUsd),
    phases: plan.phases.map((p) => ({ title: p.title, agents: p.agents, costUsd: money(p.costUsd) })),
    basis: plan.basis,
  };
}

export const agentsText = (r: Range) =>
  `${r.low === r.high ? r.low : `${r.low}–${r.high}`} agent${r.low === r.high && r.low === 1 ? '' : 's'}`;
export const tokensText = (r: Range) => (r.low === r.high ? count(r.low) : `${count(r.low)}–${count(r.high)}`);
export const usdText = (r: Range) => (r.low === r.high ? usd(r.low) : `${usd(r.low)}–${usd(r.high)}`);

/** "12–30 agents · $0.40–$3.10 · history": the plan in one line. */
export function planHeadline(plan: PricedPlan): string {
  return `${agentsText(plan.agents)} · ${usdText(plan.costUsd)} · tokens in ${tokensText(plan.tokens.input)}, out ${tokensText(plan.tokens.output)}`;
}

/**
 * The plan in lines: totals, per phase, per model, the basis. Phase titles and notes carry the
 * script's text: `bound` shortens and cleans them where that text must be kept in check.
 */
export function planLines(plan: PricedPlan, indent = '  ', bound: (s: string) => string = (s) => s): string[] {
  const lines = [
    `Agents: ${plan.agents.low === plan.agents.high ? plan.agents.low : `${plan.agents.low}–${plan.agents.high}`}`,
    `Tokens: input ${tokensText(plan.tokens.input)}, output ${tokensText(plan.tokens.output)}`,
    `Cost: ${usdText(plan.costUsd)}`,
  ];
  lines.push('By phase:');
  for (const p of plan.phases) lines.push(`${indent}${bound(p.title)}: ${agentsText(p.agents)}, ${usdText(p.costUsd)}`);
  lines.push('By model:');
  for (const m of plan.models)
    lines.push(
      `${indent}${m.model}: ${agentsText(m.agents)}, ${m.unpriced ? 'no list price (not in the cost)' : usdText(m.costUsd)}`,
    );
  lines.push(bound(`Basis (${plan.basis}): ${plan.basisText}.`));
  for (const n of plan.notes) lines.push(bound(`Note: ${n}.`));
  return lines;
}
