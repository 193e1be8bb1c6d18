// The errors a run ends with when its own files cannot be written (disk full, permissions, a
// vanished folder): what failed, which file, and what to do, because the person has to act.
import type { ErrorInfo } from '../types';

export const STORAGE_ERROR = 'RunStorageError';

const FIX = "Free disk space (or fix the folder's permissions)";

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A journal line could not be written or flushed: the run stops before the script sees more. */
export function journalWriteFailure(journalPath: string, cause: unknown): ErrorInfo {
  return {
    name: STORAGE_ERROR,
    message:
      `Could not write the run journal ${journalPath}: ${causeText(cause)}. The run was stopped; every result written to the journal before this is kept. ` +
      `${FIX}, then resume the run: journaled agents are replayed, the others run again.`,
  };
}

/** The final run record could not be written; `ended` is how the run would have been recorded. */
export function recordWriteFailure(
  recordPath: string,
  cause: unknown,
  ended: { status: string; error?: ErrorInfo },
): ErrorInfo {
  const before = ended.error
    ? ` (the run had ${ended.status}: ${ended.error.name}: ${ended.error.message})`
    : ` (the run had ${ended.status})`;
  return {
    name: STORAGE_ERROR,
    message:
      `Could not write the run record ${recordPath}: ${causeText(cause)}${before}. Until it is written the run is listed as interrupted; its journal keeps every finished agent. ` +
      `${FIX}, then resume the run: finished agents are replayed.`,
  };
}

/** A bug in the run's own bookkeeping: the run still ends, and says so. */
export function internalFailure(where: string, cause: unknown): ErrorInfo {
  return {
    name: 'InternalError',
    message: `The workflow runtime failed while ${where}: ${causeText(cause)}. Finished agents are kept in the journal; resume the run to continue, and report this error.`,
  };
}
