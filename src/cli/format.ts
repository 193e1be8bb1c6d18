// Number, time and text formatting shared by the live view, progress lines and tables.
import type { TokenUsage } from '../core/types';

/** 950, 12.3k, 4.56M: short enough for a status line. */
export function count(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1).replace(/\.?0+$/, '')}k`;
  return `${(n / 1e6).toFixed(2).replace(/\.?0+$/, '')}M`;
}

/** 0.4s, 12s, 3m05s, 1h02m. */
export function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "3m ago", "2d ago" for run tables. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function usd(n: number): string {
  return `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
}

export function tokens(u: TokenUsage, cost?: number): string {
  let s = `tokens in ${count(u.input)} · out ${count(u.output)} · cache read ${count(u.cacheRead)} · cache write ${count(u.cacheWrite)}`;
  if (cost !== undefined) s += ` · ${usd(cost)}`;
  return s;
}

/** Cuts a line to `width` characters so the terminal never wraps it (wrapping breaks redraws). */
export function clip(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : chars.slice(0, Math.max(1, width - 1)).join('') + '…';
}

/** Left-aligned table without borders; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join('  ').trimEnd());
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ⏎ ');
}
