// Offsets to 1-based line and column, the one helper every script reader uses (errors, call
// sites, the estimate, JSON args). Only '\n' breaks lines: sources are CRLF-normalised and lone
// CRs are rejected, so this matches what editors show.
import type { SourceLocation } from '../types';

/** The line starts of one text, so many offsets of it are located by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of a UTF-16 offset, clamped into the text. */
  positionAt(offset: number): SourceLocation {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo] + 1 };
  }
}

/** One offset of `source`: 1-based line and column. */
export function positionAt(source: string, offset: number): SourceLocation {
  return new LineIndex(source).positionAt(offset);
}
