// How a pause reads — a cap's, for the held agents, the run's hosts and the `resume` hint; the
// usage limit's, for the hosts of a live run waiting for the window to reopen.
import type { PauseInfo } from '../types';

/** `cost cap $5.00 reached ($5.12 spent)` / `agent cap 3 reached (3 agents)`. */
export function capReachedText(p: PauseInfo): string {
  if (p.reason === 'usage-limit') return `usage limit reached (reopens ${clockTime(p.until)})`;
  if (p.reason === 'cost-cap') return `cost cap $${usd(p.limit)} reached ($${usd(p.spent)} spent)`;
  return `agent cap ${p.limit} reached (${p.spent} agent${p.spent === 1 ? '' : 's'})`;
}

/** `cost cap $5.00 reached` / `agent cap 40 reached`: the short form, for notifications. */
export function capLimitText(p: PauseInfo): string {
  return p.reason === 'cost-cap' ? `cost cap $${usd(p.limit)} reached` : `agent cap ${p.limit} reached`;
}

/** What a paused run's node and status bar lead with: `paused: cost cap $5.00 reached ($5.02 spent)`. */
export function pausedText(p: PauseInfo): string {
  if (p.reason === 'usage-limit') return pauseText(p);
  return `paused: ${p.reason === 'cost-cap' ? capReachedText(p) : capLimitText(p)}`;
}

/** Why a held agent did not start. */
export function heldText(p: PauseInfo): string {
  return `held: ${capReachedText(p)}; it starts when the run is resumed with a higher cap`;
}

/** `$5.00`, `$0.000031`: dollars as the cap texts show them. */
export function capDollars(n: number): string {
  return `$${usd(n)}`;
}

/** Cents from a dollar up; two significant digits below it, so a tiny cap does not read $0.00. */
function usd(n: number): string {
  return n >= 1 ? n.toFixed(2) : String(Number(n.toPrecision(2)));
}

/** A raised cap to suggest: twice the limit or twice what was spent, whichever is more (cents, rounded up). */
export function raisedCap(p: PauseInfo): number {
  if (p.reason === 'agent-cap') return Math.max(p.limit * 2, p.spent + 1);
  return Math.ceil(Math.max(p.limit, p.spent) * 2 * 100) / 100;
}

/** The flag that raises this cap, as `dwf resume` takes it. */
export function raiseFlag(p: PauseInfo): string {
  return `${p.reason === 'cost-cap' ? '--max-cost' : '--max-agents'} ${raisedCap(p)}`;
}

/**
 * A paused run's status, the one text every host shows: `paused: usage limit until 14:05` /
 * `paused: cost cap $5.00 reached ($5.12 spent)`. `long` adds what happens next to a usage limit.
 */
export function pauseText(p: PauseInfo, long = false): string {
  if (p.reason !== 'usage-limit') return `paused: ${capReachedText(p)}`;
  return `paused: usage limit until ${clockTime(p.until)}${long ? ' (continues by itself)' : ''}`;
}

/** `14:05` in local time; with the date (`2026-12-06 14:05`) when it is not today. */
export function clockTime(iso: string | undefined, now = Date.now()): string {
  const at = new Date(iso ?? NaN);
  if (Number.isNaN(at.getTime())) return 'an unknown time';
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return time;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
