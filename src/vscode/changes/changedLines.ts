// Which lines of the current text an agent changed, for the editor highlights: the lines between
// the common prefix and the common suffix of the before and after texts (whole lines). No vscode
// import: unit-tested directly.

/** A 0-based, inclusive line span of the current text. */
export interface LineSpan {
  start: number;
  end: number;
}

/**
 * The lines of `after` that differ from `before`: one span around everything changed, or none
 * when equal or when only lines were deleted (nothing left to mark). `before` undefined (a new
 * file): every line.
 */
export function changedLines(before: string | undefined, after: string): LineSpan[] {
  const lines = splitLines(after);
  if (before === undefined) return after === '' ? [] : [{ start: 0, end: lastLine(lines) }];
  if (before === after) return [];
  const old = splitLines(before);
  let prefix = 0;
  const max = Math.min(old.length, lines.length);
  while (prefix < max && old[prefix] === lines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && old[old.length - 1 - suffix] === lines[lines.length - 1 - suffix]) suffix++;
  const end = lines.length - 1 - suffix;
  return end < prefix ? [] : [{ start: prefix, end: Math.min(end, lastLine(lines)) }];
}

/** Lines without their terminators (\n or \r\n); a trailing newline leaves an empty last line. */
function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The last line worth marking: not the empty line after a final newline. */
function lastLine(lines: string[]): number {
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
}
