// Shared text handling: output caps that say what was cut, `cat -n` numbering, binary sniffing.

/**
 * Cuts `text` to at most `max` characters (at a line end when one is near) and appends a note
 * saying how much was left out and, via `hint`, how to get the rest. The note is outside `max`.
 */
export function capText(text: string, max: number, hint = ''): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let end = max;
  const nl = text.lastIndexOf('\n', max);
  if (nl > max * 0.8) end = nl; // keep whole lines unless that would drop a lot
  const note = `[Output cut: showing ${end} of ${text.length} characters.${hint ? ' ' + hint : ''}]`;
  return { text: `${text.slice(0, end)}\n${note}`, cut: true };
}

/** `cat -n` style: the line number right-aligned in 6 columns, a tab, the line. */
export function numberLine(lineNo: number, line: string): string {
  return `${String(lineNo).padStart(6)}\t${line}`;
}

/** Splits file text into lines without the terminators; a final newline does not add a line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Cuts one over-long line (minified code, data) so it cannot eat the whole output budget. */
export function clipLine(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max)}… [line cut: ${line.length} characters]`;
}

/** Git's heuristic: a NUL byte in the first 8 000 bytes (or characters) means binary. */
export function looksBinary(data: Buffer | string): boolean {
  const n = Math.min(data.length, 8000);
  if (typeof data === 'string') return data.slice(0, n).includes('\0');
  return data.subarray(0, n).includes(0);
}
