// Number, time and text formatting shared by the live view, progress lines and tables.
import { count, oneLine as visibleLine, usd, visibleText, type TokenUsage } from '../core';

export { count, duration } from '../core';

/** "3m ago", "2d ago" for run tables. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export { usd } from '../core';

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

/** Left-aligned table without borders; the last column is not padded. Cells are untrusted (run names, descriptions): one line each, nothing hidden. */
export function table(cells: string[][]): string[] {
  const rows = cells.map((r) => r.map(visibleLine));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length)))
      .join('  ')
      .trimEnd(),
  );
}

/** An untrusted message on one terminal line: `a ⏎ b` for line breaks, every control and invisible character escaped. */
export function oneLine(s: string): string {
  return visibleLine(s.replace(/[ \t]*\n[ \t]*/g, ' \n '));
}

/** An untrusted multi-line message: its first line after `head`, the others indented under it, nothing hidden. */
export function block(head: string, s: string): string {
  return head + visibleText(s, { multiline: true }).replace(/\n/g, '\n  ');
}
