// Whether a run is preceded by the `args` question: one rule for Run Workflow… and the Saved view's Run.
import { readsArgs } from '../../core';

/**
 * Ask when the script reads its global `args` (from the AST, so a mention in meta or a string does
 * not count), or when its text could not be read: it cannot be told, and the run reports why.
 */
export function shouldAskArgs(source: string | undefined): boolean {
  return source === undefined || readsArgs(source);
}
