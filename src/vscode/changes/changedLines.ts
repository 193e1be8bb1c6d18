// Which lines of the current text an agent changed, for the editor highlights: the lines a line
// diff (jsdiff's Myers diff) marks as added or replaced, as spans of whole lines. No vscode
// import: unit-tested directly.
import { diffArrays } from 'diff';

/** A 0-based, inclusive line span of the current text. */
export interface LineSpan {
  start: number;
  end: number;
}

/**
 * The diff runs on the extension host's main thread: past this many edits or this long it gives
 * up, and everything between the first and the last changed line is marked instead.
 */
const MAX_EDITS = 2_000;
const MAX_DIFF_MS = 50;

/**
 * The lines of `after` that differ from `before`: one span per run of added or replaced lines, none
 * when equal or when lines were only deleted (nothing left to mark). `before` undefined (a new
 * file): every line.
 */
export function changedLines(before: string | undefined, after: string): LineSpan[] {
  const lines = splitLines(after);
  if (before === undefined) return after === '' ? [] : [{ start: 0, end: lastLine(lines) }];
  if (before === after) return [];
  const old = splitLines(before);
  // Common head and tail first: cheap, and the diff then sees only the changed middle.
  let prefix = 0;
  const max = Math.min(old.length, lines.length);
  while (prefix < max && old[prefix] === lines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && old[old.length - 1 - suffix] === lines[lines.length - 1 - suffix]) suffix++;
  const end = Math.min(lines.length - 1 - suffix, lastLine(lines));
  if (end < prefix) return [];
  const parts = diffArrays(old.slice(prefix, old.length - suffix), lines.slice(prefix, lines.length - suffix), {
    maxEditLength: MAX_EDITS,
    timeout: MAX_DIFF_MS,
  });
  if (!parts) return [{ start: prefix, end }];
  const spans: LineSpan[] = [];
  let line = prefix;
  for (const part of parts) {
    if (part.removed) continue;
    if (part.added) {
      const last = spans[spans.length - 1];
      if (last && last.end === line - 1) last.end = line + part.count - 1;
      else spans.push({ start: line, end: line + part.count - 1 });
    }
    line += part.count;
  }
  return spans.map((s) => ({ start: s.start, end: Math.min(s.end, end) })).filter((s) => s.start <= s.end);
}

/** Lines without their terminators (\n or \r\n); a trailing newline leaves an empty last line. */
function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The last line worth marking: not the empty line after a final newline. */
function lastLine(lines: string[]): number {
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
}
