// Short numbers and times for tree descriptions and the status bar.
import type { TokenUsage } from '../core/types';

/** 950, 12.3k, 4.56M. */
export function count(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1).replace(/\.?0+$/, '')}k`;
  return `${(n / 1e6).toFixed(2).replace(/\.?0+$/, '')}M`;
}

/** 0.4s, 12s, 3m05s, 1h02m. */
export function elapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Tokens a person cares about: what went in (cache included) and what came out. */
export function tokens(u: TokenUsage): string {
  const total = u.input + u.cacheRead + u.cacheWrite + u.output;
  return total === 0 ? '' : `${count(total)} tok`;
}

/** Elapsed time of something that started at `from` and ended at `to` (or is still going). */
export function span(from: number | undefined, to: number | undefined, now: number): string {
  return from === undefined ? '' : elapsed((to ?? now) - from);
}

export function join(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}
