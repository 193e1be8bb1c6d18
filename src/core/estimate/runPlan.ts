// The part of a priced plan a run keeps (run.json, its events): agents and dollars, low–high.
// Read back from run.json, which anyone can edit, so a malformed plan is no plan.
import type { RunPlan } from '../types';
import type { PricedPlan } from './plan';

export function runPlanOf(plan: PricedPlan): RunPlan {
  return {
    agents: { ...plan.agents },
    costUsd: { ...plan.costUsd },
    basis: plan.basis,
  };
}

const isRange = (v: unknown): v is { low: number; high: number } => {
  const r = v as { low?: unknown; high?: unknown } | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.low === 'number' &&
    typeof r.high === 'number' &&
    Number.isFinite(r.low) &&
    Number.isFinite(r.high) &&
    r.low >= 0 &&
    r.high >= r.low
  );
};

/** A stored plan as it was made, or undefined when it is missing or malformed. */
export function storedRunPlan(v: unknown): RunPlan | undefined {
  const p = v as Partial<RunPlan> | null | undefined;
  if (typeof p !== 'object' || p === null || !isRange(p.agents) || !isRange(p.costUsd)) return undefined;
  return {
    agents: { low: p.agents.low, high: p.agents.high },
    costUsd: { low: p.costUsd.low, high: p.costUsd.high },
    basis: p.basis === 'history' ? 'history' : 'static',
  };
}
