// Actions on an agent's kept git worktree (isolation: 'worktree'): open it in a new window, or see
// what the agent changed against the commit it started from in one multi-file diff editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { notificationText, type WorktreeInfo } from '../../core';
import type { RunsElement, RunsTreeProvider } from '../runs/runsTree';
import { git, type WorktreeBaseVersions } from './worktreeBase';

/** Paths (relative, `/`-separated) that differ from the base: tracked changes, commits, and new files. */
async function changedFiles(info: WorktreeInfo): Promise<string[]> {
  const split = (out: string) => out.split('\0').filter(Boolean);
  const tracked = split(await git(info.path, ['diff', '--name-only', '-z', '--no-renames', info.commit]));
  const untracked = split(await git(info.path, ['ls-files', '--others', '--exclude-standard', '-z']));
  return [...new Set([...tracked, ...untracked])].sort();
}

export function worktreeCommands(
  runsTree: RunsTreeProvider,
  runsView: vscode.TreeView<RunsElement>,
  base: WorktreeBaseVersions,
) {
  const worktreeOf = (el: RunsElement | undefined): { label: string; info: WorktreeInfo } | undefined => {
    const a = runsTree.agent(el ?? runsView.selection[0]);
    const info = a?.node.worktree;
    if (!a || !info?.kept || !fs.existsSync(info.path)) {
      void vscode.window.showInformationMessage(
        a && info
          ? `${notificationText(a.node.label)}'s worktree is gone (${info.kept ? 'removed since' : 'it changed nothing, so it was removed'}).`
          : 'Select an agent with a kept worktree in the Runs view first.',
      );
      return undefined;
    }
    return { label: a.node.label, info };
  };
  return {
    // A new window: adding a folder to this one would turn it into a multi-root workspace and restart extensions (and this run's view).
    openWorktree: async (el?: RunsElement) => {
      const wt = worktreeOf(el);
      if (!wt) return undefined;
      const uri = vscode.Uri.file(wt.info.path);
      await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
      return uri.fsPath;
    },
    /** Returns the compared paths (relative), for tests. */
    compareWorktreeWithBase: async (el?: RunsElement) => {
      const wt = worktreeOf(el);
      if (!wt) return undefined;
      const files = await changedFiles(wt.info);
      if (files.length === 0) {
        void vscode.window.showInformationMessage(
          `${notificationText(wt.label)}'s worktree has no changes against ${wt.info.base}.`,
        );
        return files;
      }
      base.allow(wt.info);
      const resources = files.map((rel) => {
        const onDisk = vscode.Uri.file(path.join(wt.info.path, ...rel.split('/')));
        // A file the agent deleted: an empty right side (the base document of a path absent there).
        const right = fs.existsSync(onDisk.fsPath) ? onDisk : base.uri(wt.info, `${rel}.deleted`);
        return [onDisk, base.uri(wt.info, rel), right];
      });
      await vscode.commands.executeCommand(
        'vscode.changes',
        `${notificationText(wt.label)} ↔ ${wt.info.base} ${wt.info.commit.slice(0, 7)}`,
        resources,
      );
      return files;
    },
  };
}
