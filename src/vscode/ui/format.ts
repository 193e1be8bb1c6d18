// Short numbers, times and error headlines for tree descriptions, notifications and the status bar.
import { count, duration as elapsed, oneLine, type ErrorInfo, type TokenUsage } from '../../core';

export { count, duration as elapsed } from '../../core';

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

/** `TypeError: cannot read property 'z' of undefined` — the first line only (hints follow on others). */
export function errorHeadline(error: ErrorInfo): string {
  return oneLine(`${error.name}: ${error.message.split('\n')[0]}`);
}
