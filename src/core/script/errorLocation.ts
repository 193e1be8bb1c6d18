// Where a runtime error happened in the script: the guest stack's first frame in a workflow file
// (not the prelude), with the code frame when that file is the one at hand (issue 8 item 6).
// Frames of that file are mapped back through the await rewrite (transform.ts), so the column is
// the one the author's editor shows, in `location` and in the stack alike.
import type { ErrorInfo, ErrorLocation } from '../types';
import { codeFrame } from './codeFrame';
import { parseModule } from './syntax';
import { sourceColumn } from './transform';

/** Frames look like `at summarize (wf.js:4:15)` or `at wf.js:4:15`. */
const FRAME = /^(\s*at (?:.*? \()?)(.+?):(\d+):(\d+)(\)?\s*)$/;

export interface ScriptText {
  file: string;
  source: string;
}

/** Maps compiled columns of `script`'s frames to source columns; parses the script on first use. */
function columnMapper(script: ScriptText): (line: number, column: number) => number {
  let program: ReturnType<typeof parseModule> | undefined;
  return (line, column) => {
    program ??= parseModule(script);
    return sourceColumn(script.source, program, line, column);
  };
}

/** The stack with each frame of the script's own file at its source column. */
export function sourceStack(stack: string, script: ScriptText): string {
  const column = columnMapper(script);
  return stack
    .split('\n')
    .map((line) => {
      const m = FRAME.exec(line);
      if (!m || m[2] !== script.file) return line;
      return `${m[1]}${m[2]}:${m[3]}:${column(Number(m[3]), Number(m[4]))}${m[5]}`;
    })
    .join('\n');
}

/** The first frame not in `skipFile`, read from a stack already mapped by sourceStack. */
export function locateError(
  stack: string | undefined,
  script: ScriptText,
  skipFile: string,
): ErrorLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m || m[2] === skipFile) continue;
    const loc: ErrorLocation = { file: m[2], line: Number(m[3]), column: Number(m[4]) };
    if (m[2] === script.file) loc.frame = codeFrame(script.source, loc.line, loc.column);
    return loc;
  }
  return undefined;
}

/** `error` with its stack at source columns and its location filled in (an existing one is kept). */
export function withLocation(error: ErrorInfo, script: ScriptText, skipFile: string): ErrorInfo {
  if (error.location || !error.stack) return error;
  const stack = sourceStack(error.stack, script);
  const location = locateError(stack, script, skipFile);
  return location ? { ...error, stack, location } : { ...error, stack };
}
