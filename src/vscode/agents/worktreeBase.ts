// The left side of Compare Worktree with Base: a file as it was at the commit an agent's worktree
// started from, read with git, served only for worktrees compared in this window.
import * as vscode from 'vscode';
import type { WorktreeInfo } from '../../core';
import { gitInWorktree, worktreeGitDir } from '../../agent/worktree/gitWorktrees';

/** Documents holding a file as it was at the worktree's base commit (the left side of the diff). */
export const WORKTREE_BASE_SCHEME = 'dwf-worktree-base';

const COMMIT = /^[0-9a-f]{40,64}$/;

/** git in the worktree with its git dir taken from the main repository, never from the worktree's own `.git` file. */
export async function git(worktree: string, args: string[]): Promise<string> {
  const r = await gitInWorktree(await worktreeGitDir(worktree), worktree, args);
  if (!r.ok) throw new Error(`git ${args[0]} in ${worktree}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Serves base versions only for worktrees a compare command named in this session, so a
 * `dwf-worktree-base:` link from elsewhere cannot make git read other folders.
 */
export class WorktreeBaseVersions implements vscode.TextDocumentContentProvider {
  private readonly known = new Map<string, string>();

  allow(info: WorktreeInfo): void {
    this.known.set(info.path, info.commit);
  }

  uri(info: WorktreeInfo, rel: string): vscode.Uri {
    return vscode.Uri.from({
      scheme: WORKTREE_BASE_SCHEME,
      path: `/${rel}`,
      query: JSON.stringify({ worktree: info.path, commit: info.commit }),
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { worktree, commit } = JSON.parse(uri.query) as { worktree: string; commit: string };
    if (this.known.get(worktree) !== commit || !COMMIT.test(commit))
      throw new Error(`${uri.toString()} names no worktree compared in this window`);
    // Absent at the base (a file the agent added): the left side is empty.
    return git(worktree, ['cat-file', 'blob', `${commit}:${uri.path.slice(1)}`]).catch(() => '');
  }
}

/** Registers the base versions' document scheme; the compare command serves its documents from them. */
export function registerWorktreeBase(base: WorktreeBaseVersions): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(WORKTREE_BASE_SCHEME, base);
}
