// One codicon per state, shared by every node kind, so a glance down the tree reads the same way.
import * as vscode from 'vscode';
import type { AgentState, RunStatus, TraceSummary } from '../../core';

const color = (id: string) => new vscode.ThemeColor(id);

const AGENT: Record<AgentState, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('loading~spin'),
  done: new vscode.ThemeIcon('pass', color('testing.iconPassed')),
  cached: new vscode.ThemeIcon('history', color('testing.iconPassed')),
  null: new vscode.ThemeIcon('circle-slash', color('testing.iconQueued')),
  skipped: new vscode.ThemeIcon('debug-step-over', color('testing.iconSkipped')),
  failed: new vscode.ThemeIcon('error', color('testing.iconFailed')),
  stopped: new vscode.ThemeIcon('debug-stop', color('testing.iconSkipped')),
};

const RUN: Record<RunStatus, vscode.ThemeIcon> = {
  running: AGENT.running,
  completed: AGENT.done,
  failed: AGENT.failed,
  stopped: AGENT.stopped,
  paused: new vscode.ThemeIcon('debug-pause', color('testing.iconQueued')),
};

/** Done, but a command failed or was denied: not the green check of a clean success. */
const DONE_WITH_TOOL_ERRORS = new vscode.ThemeIcon('warning', color('list.warningForeground'));

export function agentIcon(state: AgentState, toolErrors = false): vscode.ThemeIcon {
  return state === 'done' && toolErrors ? DONE_WITH_TOOL_ERRORS : AGENT[state];
}

export function runIcon(status: RunStatus): vscode.ThemeIcon {
  return RUN[status];
}

/**
 * A container's state from its agents: running while any runs, queued while any waits, else
 * failed when anything failed, done when anything finished, and empty (no icon state) otherwise.
 */
export function containerState(c: Readonly<TraceSummary>, failed = false): AgentState | undefined {
  const s = c.byState;
  if (s.running) return 'running';
  if (s.queued) return 'queued';
  if (failed || s.failed) return 'failed';
  if (s.stopped) return 'stopped';
  if (s.null) return 'failed';
  if (s.done) return 'done';
  if (s.cached) return 'cached';
  if (s.skipped) return 'skipped';
  return undefined;
}

export function containerIcon(c: Readonly<TraceSummary>, failed = false): vscode.ThemeIcon | undefined {
  const state = containerState(c, failed);
  return state && agentIcon(state, state === 'done' && c.toolErrors > 0);
}
