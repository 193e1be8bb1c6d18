// How an agent's worktree is described in the run log, the CLI and the tree: one wording everywhere.
import type { WorktreeInfo } from '../types';

/** `kept at <path> (branch dwf/…, from HEAD 1a2b3c4)` or `removed (no changes; was branch dwf/…)`. */
export function worktreeText(w: WorktreeInfo): string {
  return w.kept
    ? `kept at ${w.path} (branch ${w.branch}, from ${w.base} ${w.commit.slice(0, 7)})`
    : `removed (no changes; was branch ${w.branch} from ${w.base} ${w.commit.slice(0, 7)})`;
}

/** The run log's line for an agent's worktree. */
export function worktreeLine(label: string, w: WorktreeInfo): string {
  return `[${label}] worktree ${worktreeText(w)}`;
}
