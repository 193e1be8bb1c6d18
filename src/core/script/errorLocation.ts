// Where a runtime error happened in the script: the guest stack's first frame in a workflow file
// (not the prelude), with the code frame when that file is the one at hand (issue 8 item 6).
import type { ErrorInfo, ErrorLocation } from '../types';
import { codeFrame } from './codeFrame';

/** Frames look like `at summarize (wf.js:4:15)` or `at wf.js:4:15`. */
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

export function locateError(stack: string | undefined, script: { file: string; source: string }, skipFile: string): ErrorLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m || m[1] === skipFile) continue;
    const loc: ErrorLocation = { file: m[1], line: Number(m[2]), column: Number(m[3]) };
    if (m[1] === script.file) loc.frame = codeFrame(script.source, loc.line, loc.column);
    return loc;
  }
  return undefined;
}

/** `error` with its location filled in when the stack names one (an existing one is kept). */
export function withLocation(error: ErrorInfo, script: { file: string; source: string }, skipFile: string): ErrorInfo {
  if (error.location) return error;
  const location = locateError(error.stack, script, skipFile);
  return location ? { ...error, location } : error;
}
