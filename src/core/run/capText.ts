// How a cap's pause reads, for the held agents, the run's hosts and the `resume` hint.
import type { PauseInfo } from '../types';

/** `cost cap $5.00 reached ($5.12 spent)` / `agent cap 3 reached (3 agents)`. */
export function capReachedText(p: PauseInfo): string {
  if (p.reason === 'cost-cap') return `cost cap $${p.limit.toFixed(2)} reached ($${p.spent.toFixed(2)} spent)`;
  return `agent cap ${p.limit} reached (${p.spent} agent${p.spent === 1 ? '' : 's'})`;
}

/** Why a held agent did not start. */
export function heldText(p: PauseInfo): string {
  return `held: ${capReachedText(p)}; it starts when the run is resumed with a higher cap`;
}

/** A raised cap to suggest: double the limit, at least one more than what was spent. */
export function raisedCap(p: PauseInfo): number {
  if (p.reason === 'agent-cap') return Math.max(p.limit * 2, p.spent + 1);
  return Math.max(Math.ceil(p.limit * 2), Math.ceil(p.spent) + 1);
}

/** The flag that raises this cap, as `dwf resume` takes it. */
export function raiseFlag(p: PauseInfo): string {
  return `${p.reason === 'cost-cap' ? '--max-cost' : '--max-agents'} ${raisedCap(p)}`;
}
