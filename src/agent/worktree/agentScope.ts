// What an agent's tools are rooted at: the workspace folders, or for `isolation: 'worktree'` the
// agent's own worktree. Hosts build their gates once per run; scopeAt() re-roots them at a worktree
// so the file guard, the permission gates and the OS sandbox hold there exactly as in the main tree.
import type { Workspace } from '../../core/ports';
import type { WorktreeInfo } from '../../core/types';
import type { CommandGate, PathGuard, ToolGate } from '../tools';

export interface Who {
  runId: string;
  agentLabel: string;
}

export interface AgentScope {
  workspace: Workspace;
  paths: PathGuard;
  /** The Bash tool's gate, per agent (so the person is told which agent asks). */
  commands: CommandGate | ((who: Who) => CommandGate);
  /** Rules for the file and fetch tools and the protected paths, per agent. */
  access: ToolGate | ((who: Who) => ToolGate | Promise<ToolGate>);
}

/** The host's part of worktree isolation. */
export interface WorktreeHost {
  /** The ref new worktrees start from (`dwf --worktree-base`, `dynamicWorkflows.worktreeBaseRef`); HEAD when empty. */
  baseRef?: string;
  /** The host's workspace and gates rooted at `root` (a folder inside the agent's worktree) instead of the workspace folders. */
  scopeAt(root: string): AgentScope;
}

/** Appended to a worktree agent's system prompt, as Claude Code does for its worktree agents. */
export function worktreePrompt(info: WorktreeInfo, root: string): string {
  return `You are working in an isolated git worktree at ${root} (branch ${info.branch}, created from ${info.base} at commit ${info.commit.slice(0, 12)}): the same repository and the same relative file layout as the main working tree, but a separate working copy. Read and edit files here; your changes do not touch the main working tree or other agents' worktrees. Other agents may be changing the same files in their own worktrees, so do not rely on seeing their changes. When you finish, the worktree is kept for review if you changed anything and removed if you did not.`;
}
