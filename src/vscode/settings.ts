// The `dynamicWorkflows.*` settings as one typed snapshot, read when a run starts (a run keeps the
// settings it started with). Descriptions and defaults live in package.json `contributes.configuration`.
import * as vscode from 'vscode';

export const SECTION = 'dynamicWorkflows';

export interface WorkflowSettings {
  /** Default model for agents that name none (alias or id); undefined = the agent layer's default. */
  model?: string;
  /** Agents running at once; undefined = the engine's default (min(16, max(2, cpus − 2))). */
  concurrency?: number;
  /** Output-token ceiling for `budget.total`; null = none. */
  budgetTotal: number | null;
  /** Claude Code permission rules that let Bash commands run without asking, e.g. `Bash(npm test:*)`. */
  allow: string[];
  /** Messages API endpoint; empty = ANTHROPIC_BASE_URL, else the SDK's default. */
  baseUrl?: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): WorkflowSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const model = c.get<string>('model')?.trim();
  const concurrency = c.get<number | null>('concurrency');
  const budget = c.get<number | null>('budget');
  const baseUrl = c.get<string>('baseUrl')?.trim();
  return {
    model: model || undefined,
    concurrency: typeof concurrency === 'number' && concurrency >= 1 ? Math.floor(concurrency) : undefined,
    budgetTotal: typeof budget === 'number' && budget > 0 ? budget : null,
    allow: (c.get<unknown[]>('allow') ?? []).filter((r): r is string => typeof r === 'string' && r.trim() !== ''),
    baseUrl: baseUrl || undefined,
  };
}

/** The endpoint: the setting wins (it is explicit for this editor), then ANTHROPIC_BASE_URL. */
export function endpoint(settings: WorkflowSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return settings.baseUrl ?? (env.ANTHROPIC_BASE_URL?.trim() || undefined);
}
