// The two-line code frame every ScriptError carries (spec §2.2: the offending
// line, at most 80 columns, and a caret under the column).
import { ScriptError } from '../errors';
import { positionAt } from './positions';

export const FRAME_WIDTH = 80;

// Tabs become one space so the caret lines up; invisible or terminal-hostile characters become
// U+FFFD so printing the frame cannot itself hide or reorder text.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The line `line` of `source` (≤ 80 columns, windowed around `column`) and a caret line. */
export function codeFrame(source: string, line: number, column: number): string {
  const lines = source.split('\n');
  const text = (lines[line - 1] ?? '').replace(/\t/g, ' ').replace(UNPRINTABLE, '\uFFFD');
  let col = Math.max(0, Math.min(column - 1, text.length));
  let shown = text;
  if (text.length > FRAME_WIDTH) {
    // An 80-column window with the column roughly centred; '…' replaces the first/last
    // character of the window on each side that was cut.
    const start = Math.max(0, Math.min(col - FRAME_WIDTH / 2, text.length - FRAME_WIDTH));
    const end = start + FRAME_WIDTH;
    const cutLeft = start > 0;
    const cutRight = end < text.length;
    shown =
      (cutLeft ? '…' : '') + text.slice(start + (cutLeft ? 1 : 0), end - (cutRight ? 1 : 0)) + (cutRight ? '…' : '');
    col -= start;
  }
  return `${shown}\n${' '.repeat(col)}^`;
}

/** A ScriptError at `offset` of `source`, with line, column and frame filled in. */
export function errorAt(message: string, source: string, file: string, offset: number): ScriptError {
  const { line, column } = positionAt(source, offset);
  return new ScriptError(message, file, line, column, codeFrame(source, line, column));
}

/** What parsing code needs to report an error: the (normalised) source and its display name. */
export interface ErrorSite {
  source: string;
  file: string;
}

export function fail(site: ErrorSite, offset: number, message: string): never {
  throw errorAt(message, site.source, site.file, offset);
}
