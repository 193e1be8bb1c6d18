// The Workspace port's backstop, one for its three implementations (files on disk, the editor's
// WorkspaceEdits, the agent worker's proxy to them): the tools' path guard checks first; this holds
// even when a caller skipped it — an absolute path whose physical target (symlinks and `..`
// resolved) lies inside one of the roots, and no protected path unless the access gate granted it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveInWorkspace } from './permissions/paths';
import { assertAgentMayWrite, type ApprovedWrites } from './permissions/protected';

export interface WorkspaceGuardOptions {
  /** The access gate's grants for protected paths; without it every protected write is refused. */
  approvedWrites?: ApprovedWrites;
  /** Runs folders outside the workspace folders (never writable). */
  runsDirs?: readonly string[];
}

/** The port speaks absolute paths only; a relative one is a caller's bug, not a guess. */
export function absoluteWorkspacePath(file: string): string {
  if (!path.isAbsolute(file)) throw new Error(`Workspace paths must be absolute: ${file}`);
  return path.normalize(file);
}

/** Whether the file is on disk (every workspace answers from the disk, which all threads share). */
export async function existsOnDisk(file: string): Promise<boolean> {
  try {
    await fs.promises.access(absoluteWorkspacePath(file));
    return true;
  } catch {
    return false;
  }
}

/**
 * The physical path a write of `file` lands on, or an error saying why it may not: outside the
 * roots, the runs folder, or a protected path without a grant (the grant is consumed here).
 */
export function checkedWriteTarget(file: string, roots: readonly string[], guard: WorkspaceGuardOptions): string {
  const checked = resolveInWorkspace(absoluteWorkspacePath(file), roots, roots[0]);
  if (!checked.ok) throw new Error(checked.reason);
  assertAgentMayWrite(checked.real, roots, guard.approvedWrites, guard.runsDirs);
  return checked.real;
}
