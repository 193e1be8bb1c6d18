// The runs this workspace keeps on disk (.claude/workflow-runs of each folder), as the run commands,
// the lenses and Save Run as Workflow list them: which can be resumed, the newest of a script.
import * as vscode from 'vscode';
import { FileRunStore, type RunRecord } from '../../core';
import type { RunController } from './runController';

export function stores(): FileRunStore[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => FileRunStore.forWorkspace(f.uri.fsPath));
}

/** Runs that can be resumed: not running here or in another live process. Newest first. */
export function resumableRuns(controller: RunController): RunRecord[] {
  const out: RunRecord[] = [];
  for (const store of stores()) {
    for (const r of store.list()) {
      const live = controller.get(r.runId);
      if (live && !live.result) continue;
      if (!live && store.isLive(r)) continue;
      out.push(r);
    }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The newest run started from `file`, if any (live or not). */
export function lastRunOf(file: vscode.Uri): RunRecord | undefined {
  let best: RunRecord | undefined;
  for (const store of stores()) {
    for (const r of store.list()) if (r.scriptFile === file.fsPath && (!best || r.createdAt > best.createdAt)) best = r;
  }
  return best;
}

/** A run id, or a Runs view element carrying one. */
export function runIdOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  const id = (target as { runId?: unknown } | undefined)?.runId;
  return typeof id === 'string' ? id : undefined;
}
