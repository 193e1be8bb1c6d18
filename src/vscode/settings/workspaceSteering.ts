// What a workspace's own files change about a run before it starts: allow rules that let commands
// run unasked (`.claude/settings.json`, `.claude/settings.local.json`, `dynamicWorkflows.allow` in
// the workspace's settings) and a model chosen by the workspace. A cloned repository or an agent
// can write these files, so the pre-run dialog lists them, and a new one is shown even when the
// dialog is otherwise skipped (confirmBeforeRun off, "Always run").
import * as path from 'node:path';
import { loadAgentLayer } from '../agents/loadAgentLayer';
import type { WorkflowSettings } from './settings';

export const WORKSPACE_ALLOW_SOURCE = 'dynamicWorkflows.allow in the workspace settings';

export interface SteeringItem {
  /** Stable identity for "already shown and accepted" (the rule text, or `model:<id>`). */
  id: string;
  /** One display line, e.g. `Bash(npm test:*) — .claude/settings.json`. */
  text: string;
}

export interface WorkspaceSteering {
  allow: SteeringItem[];
  /** The model the workspace's settings choose, when they do. */
  model?: SteeringItem;
}

/** The allow rules and model (unreadable files and bad rules apply nothing; the run's log names them) the workspace folder `root` brings, not the person's user settings. */
export async function workspaceSteering(root: string, settings: WorkflowSettings): Promise<WorkspaceSteering> {
  const loaded = await loadAgentLayer().loadPermissionRules({
    roots: [root],
    home: null, // ~/.claude/settings.json is the person's own
    extra: [{ source: WORKSPACE_ALLOW_SOURCE, allow: settings.workspaceAllow }],
  });
  const seen = new Set<string>();
  const allow: SteeringItem[] = [];
  for (const rule of loaded.rules.allow) {
    const source = rule.source ?? 'workspace';
    const from = path.isAbsolute(source) ? path.relative(root, source) : source;
    const id = allowId(rule.text);
    if (seen.has(`${id}\u0000${from}`)) continue;
    seen.add(`${id}\u0000${from}`);
    allow.push({ id, text: `${rule.text} — ${from}` });
  }
  const model =
    settings.modelFromWorkspace && settings.model ? { id: `model:${settings.model}`, text: settings.model } : undefined;
  return { allow, model };
}

/** The id of an allow rule, wherever it is written. */
export function allowId(rule: string): string {
  return `allow:${rule.trim()}`;
}

/** Every item, for "which of these has the person not accepted yet". */
export function steeringItems(s: WorkspaceSteering): SteeringItem[] {
  return [...s.allow, ...(s.model ? [s.model] : [])];
}
