// The `dynamicWorkflows.*` settings as one typed snapshot, read when a run starts (a run keeps the
// settings it started with). Descriptions and defaults live in package.json `contributes.configuration`.
//
// A workspace's `.vscode/settings.json` (or `.code-workspace`) is a stranger's file in a cloned
// repository and an agent can write it: the settings that decide where the API key goes and whether
// the person is asked (`baseUrl`, `confirmBeforeRun`) are read from user settings only; a workspace
// value is ignored and reported. Workspace values that widen or steer a run (`allow`, `model`) still
// apply, but the pre-run dialog lists them (workspaceSteering.ts).
import * as vscode from 'vscode';
import { valuesIn, workspaceSettingsFiles } from './workspaceSettingsFiles';
import { DEFAULT_SLICE_MS, SLICE_MS_MAX, SLICE_MS_MIN, type RunCaps } from '../../core';
import { readCapSettings } from './capSettings';

export const SECTION = 'dynamicWorkflows';

/** Settings that only the person's own (user/machine) settings may set. */
export const USER_ONLY_SETTINGS = ['baseUrl', 'confirmBeforeRun', 'agents'] as const;
export type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

/** A workspace or folder value of a user-only setting, which was not used. */
export interface IgnoredSetting {
  key: `${typeof SECTION}.${UserOnlySetting}`;
  /** Where it was found: "workspace" (.vscode/settings.json or the .code-workspace file) or "folder". */
  scope: 'workspace' | 'folder';
  value: unknown;
}

export interface WorkflowSettings {
  /** Default model for agents that name none (alias or id); undefined = the agent layer's default. */
  model?: string;
  /** True when `model` comes from the workspace's settings rather than the person's. */
  modelFromWorkspace: boolean;
  /** Agents running at once; undefined = the engine's default (min(16, max(2, cpus − 2))). */
  concurrency?: number;
  /** Output-token ceiling for `budget.total`; null = none. */
  budgetTotal: number | null;
  /** Longest synchronous slice of the script (ms), within the protocol's range. */
  sliceMs: number;
  /** Claude Code permission rules that let Bash commands run without asking: user, workspace and folder values together. */
  allow: string[];
  /** The part of `allow` set by the workspace or folder settings (shown before a run). */
  workspaceAllow: string[];
  /** Messages API endpoint from user settings only; empty = ANTHROPIC_BASE_URL, else the SDK's default. */
  baseUrl?: string;
  /** The pre-run dialog, from user settings only. */
  confirmBeforeRun: boolean;
  /** Where agents run, from user settings only (a workspace must not send agents elsewhere): 'remote' = all on the engine. */
  agents: 'local' | 'remote';
  /** Workspace values of user-only settings that were ignored. */
  ignored: IgnoredSetting[];
  /** The ref `isolation: 'worktree'` agents start from; undefined = HEAD. */
  worktreeBaseRef?: string;
  /** maxCostUsd / maxAgents: the strictest value of user, workspace and folder settings (capSettings.ts). */
  caps: RunCaps;
  /** Cap values that are not caps; a run is refused while there are any. */
  capProblems: string[];
}

export function readSettings(scope?: vscode.ConfigurationScope): WorkflowSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const model = c.get<string>('model')?.trim();
  const concurrency = c.get<number | null>('concurrency');
  const budget = c.get<number | null>('budget');
  const slice = c.get<number>('sliceLimitMs');
  const baseUrl = userValue<string>(c, 'baseUrl');
  const confirm = userValue<boolean>(c, 'confirmBeforeRun');
  const allow = c.inspect<unknown[]>('allow');
  const userAllow = rules(allow?.globalValue);
  const { caps, problems: capProblems } = readCapSettings((key) => c.inspect(key));
  const workspaceAllow = [...rules(allow?.workspaceValue), ...rules(allow?.workspaceFolderValue)];
  return {
    model: model || undefined,
    modelFromWorkspace:
      !!model && workspaceSet(c.inspect<string>('model'), (v) => typeof v === 'string' && v.trim() === model),
    concurrency: typeof concurrency === 'number' && concurrency >= 1 ? Math.floor(concurrency) : undefined,
    budgetTotal: typeof budget === 'number' && budget > 0 ? budget : null,
    sliceMs:
      typeof slice === 'number' && Number.isFinite(slice)
        ? Math.min(SLICE_MS_MAX, Math.max(SLICE_MS_MIN, Math.floor(slice)))
        : DEFAULT_SLICE_MS,
    allow: unique([...userAllow, ...workspaceAllow]),
    workspaceAllow: unique(workspaceAllow).filter((r) => !userAllow.includes(r)),
    baseUrl: typeof baseUrl === 'string' && baseUrl.trim() ? baseUrl.trim() : undefined,
    confirmBeforeRun: confirm !== false,
    agents: userValue<string>(c, 'agents') === 'remote' ? 'remote' : 'local',
    ignored: ignoredSettings(c, scope),
    worktreeBaseRef: c.get<string>('worktreeBaseRef')?.trim() || undefined,
    caps,
    capProblems,
  };
}

/** The person's value (user or remote-machine settings) or the default; never a workspace one. */
function userValue<T>(c: vscode.WorkspaceConfiguration, key: UserOnlySetting): T | undefined {
  const i = c.inspect<T>(key);
  return i?.globalValue !== undefined ? i.globalValue : i?.defaultValue;
}

/**
 * Workspace values of user-only settings. VS Code leaves machine/application-scoped keys out of the
 * workspace's configuration (so inspect() rarely shows them); the files are read to find them.
 */
function ignoredSettings(
  c: vscode.WorkspaceConfiguration,
  scope: vscode.ConfigurationScope | undefined,
): IgnoredSetting[] {
  const out: IgnoredSetting[] = [];
  const add = (i: IgnoredSetting) => {
    // One per key: a single folder's .vscode/settings.json shows up as both workspace and folder value.
    if (!out.some((o) => o.key === i.key)) out.push(i);
  };
  for (const key of USER_ONLY_SETTINGS) {
    const i = c.inspect(key);
    if (i?.workspaceValue !== undefined) add({ key: `${SECTION}.${key}`, scope: 'workspace', value: i.workspaceValue });
    if (i?.workspaceFolderValue !== undefined)
      add({ key: `${SECTION}.${key}`, scope: 'folder', value: i.workspaceFolderValue });
  }
  const keys = USER_ONLY_SETTINGS.map((k) => `${SECTION}.${k}` as const);
  const uri = scope instanceof vscode.Uri ? scope : undefined;
  const own = uri && vscode.workspace.getWorkspaceFolder(uri);
  const folders = (own ? [own] : (vscode.workspace.workspaceFolders ?? []))
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  const wsFile = vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile.fsPath : undefined;
  const { files, workspaceFile } = workspaceSettingsFiles(folders, wsFile);
  const found = files.map((f) => ({ f, values: valuesIn(f, keys) }));
  if (workspaceFile)
    found.push({
      f: workspaceFile,
      values: valuesIn(workspaceFile, keys, (j) => (j as { settings?: unknown } | null)?.settings),
    });
  for (const { f, values } of found)
    for (const [key, value] of values) add({ key: key as IgnoredSetting['key'], scope: f.scope, value });
  return out;
}

/** Whether the effective value is the workspace's or folder's (they win over the user's). */
function workspaceSet<T>(
  i: { workspaceValue?: T; workspaceFolderValue?: T } | undefined,
  isEffective: (v: T) => boolean,
): boolean {
  return [i?.workspaceFolderValue, i?.workspaceValue].some((v) => v !== undefined && isEffective(v));
}

function rules(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim())
    : [];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The endpoint: the (user) setting wins (it is explicit for this editor), then ANTHROPIC_BASE_URL. */
export function endpoint(settings: WorkflowSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return settings.baseUrl ?? (env.ANTHROPIC_BASE_URL?.trim() || undefined);
}

/**
 * Says once per distinct ignored value (log and a notification) that a workspace tried to set a
 * user-only setting: the person learns their repository carries it, and why it had no effect.
 */
export class IgnoredSettingsReporter {
  private readonly told = new Set<string>();
  /** What was said, oldest first (tests read it; the log and notification carry the same text). */
  readonly messages: string[] = [];

  constructor(
    private readonly log: { warn(message: string): void },
    private readonly notify: (message: string) => void = (m) => void vscode.window.showWarningMessage(m),
  ) {}

  report(ignored: readonly IgnoredSetting[]): void {
    for (const i of ignored) {
      const id = `${i.key}\u0000${JSON.stringify(i.value)}`;
      if (this.told.has(id)) continue;
      this.told.add(id);
      const message = `${i.key} in this workspace's settings (.vscode/settings.json or the .code-workspace file) was ignored: it decides where the API key is sent or whether you are asked before a run, so only your user settings may set it. Set it in your user settings if you want it, and remove it from the workspace.`;
      this.messages.push(message);
      this.log.warn(message);
      this.notify(message);
    }
  }
}
