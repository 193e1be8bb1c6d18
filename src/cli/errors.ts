// Errors that end a command before a run starts; main() turns them into exit code 2.
import type { ScriptError } from '../core';

/** Rejected before running (missing key, unknown workflow, bad run id …): message, exit 2. */
export class Rejected extends Error {
  override name = 'Rejected';
}

/** `file:line:col: message` and the code frame, with the path as the person typed it. */
export function formatScriptError(e: ScriptError, display: string): string {
  const where = e.line ? `${display}:${e.line}:${e.column ?? 1}` : display;
  return `${where}: ${e.message}${e.frame ? `\n${e.frame}` : ''}`;
}
