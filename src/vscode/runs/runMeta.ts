// When a run started, how long it ran and what args it got, as the Runs view shows them: short on
// the run node's description, whole in its tooltip. Pure (no vscode import), so unit tests read it.
// Args are the person's or a caller's data: one visible line in the description, fenced in the tooltip.
import { countsText, duration, markdownFence, oneLine, shorten, type RunCounts } from '../../core';

/** Longest args preview on a run node; the tooltip has all of it. */
export const MAX_ARGS_DESCRIPTION = 40;
/** Args past this are cut visibly in the tooltip too (a hover is no place for megabytes). */
export const MAX_ARGS_TOOLTIP = 4000;

/** `just now`, `5m ago`, `3h ago`, `2d ago`: coarse, because the node is not redrawn every second. */
export function relativeTime(at: number, now: number): string {
  const s = Math.max(0, now - at) / 1000;
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** `2026-12-04 15:07:33` in the editor's local time zone. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Args as the CLI would take them: JSON (a string stays quoted, so `"3"` and `3` differ). */
export function argsJson(args: unknown, indent?: number): string {
  return JSON.stringify(args, null, indent) ?? String(args);
}

/** `args ["src/a.ts","src/b…` on one visible line; empty when the run has none. */
export function argsPreview(args: unknown, max = MAX_ARGS_DESCRIPTION): string {
  if (args === undefined) return '';
  const chars = [...oneLine(argsJson(args))];
  return `args ${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('')}`;
}

/** The run node's extra description parts: `started 5m ago`, `args …` (empty parts left out). */
export function runWhenAndArgs(startedAt: number | undefined, args: unknown, now: number): string[] {
  return [startedAt === undefined ? '' : `started ${relativeTime(startedAt, now)}`, argsPreview(args)].filter(
    (p) => p !== '',
  );
}

/** Tooltip Markdown: start (absolute and relative), duration, and the whole args as a JSON block. */
export function runMetaMarkdown(
  startedAt: number | undefined,
  endedAt: number | undefined,
  args: unknown,
  now: number,
): string {
  const lines: string[] = [];
  if (startedAt !== undefined) {
    const ran = `${endedAt === undefined ? 'running for' : 'ran'} ${duration((endedAt ?? now) - startedAt)}`;
    lines.push(`Started ${clockTime(startedAt)} (${relativeTime(startedAt, now)}) · ${ran}`);
  }
  lines.push(
    args === undefined ? 'Args: none' : `Args:\n${markdownFence(shorten(argsJson(args, 2), MAX_ARGS_TOOLTIP), 'json')}`,
  );
  return `\n\n${lines.join('\n\n')}`;
}

/**
 * `8/30 done · 22 stopped · 924 tok · 12s`: the run's final counts as the Runs tree shows them
 * (runCounts over the same trace), then how long it ran.
 */
export function finishSummary(counts: RunCounts, durationMs: number): string {
  return [countsText(counts), duration(durationMs)].filter((p) => p !== '').join(' · ');
}
