// `dynamicWorkflows.maxCostUsd` and `dynamicWorkflows.maxAgents`: the caps that pause a run (issue 11).
// A cap only protects the person, so the strictest value set anywhere wins: a workspace may lower
// the user's cap but never raise or remove it. A value that is not a cap is a problem, and the run
// is refused rather than started without the cap the person meant to set (fail closed).
// No `vscode` import: the caller hands in what `inspect()` returned, so this is unit-tested.
import type { RunCaps } from '../../core';

/** What `WorkspaceConfiguration.inspect(key)` reports, the parts that matter here. */
export interface InspectedValue {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export const CAP_KEYS = ['maxCostUsd', 'maxAgents'] as const;
export type CapKey = (typeof CAP_KEYS)[number];

const EXPECTED: Record<CapKey, string> = {
  maxCostUsd: 'a number of US dollars above 0 (0 or empty: no cap)',
  maxAgents: 'a whole number of agents above 0 (0 or empty: no cap)',
};

const SCOPES = [
  ['globalValue', 'your user settings'],
  ['workspaceValue', "this workspace's settings (.vscode/settings.json or the .code-workspace file)"],
  ['workspaceFolderValue', "this folder's .vscode/settings.json"],
] as const;

export interface CapSettings {
  caps: RunCaps;
  /** One line per bad value: which setting, where, what it holds, and what it should hold. */
  problems: string[];
}

export function readCapSettings(inspect: (key: CapKey) => InspectedValue | undefined): CapSettings {
  const caps: RunCaps = {};
  const problems: string[] = [];
  for (const key of CAP_KEYS) {
    const found = inspect(key);
    for (const [field, where] of SCOPES) {
      const value = found?.[field];
      const cap = capOf(key, value);
      if (cap === 'bad') {
        problems.push(
          `dynamicWorkflows.${key} in ${where} is ${JSON.stringify(value) ?? String(value)}: expected ${EXPECTED[key]}. The run was not started, so that no cap you meant is dropped; fix or remove the value.`,
        );
      } else if (cap !== undefined) caps[key] = Math.min(caps[key] ?? Infinity, cap);
    }
  }
  return { caps, problems };
}

/** A cap, undefined for "no cap" (absent, null, 0), or 'bad'. */
function capOf(key: CapKey, value: unknown): number | undefined | 'bad' {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return 'bad';
  if (key === 'maxAgents' && !Number.isInteger(value)) return 'bad';
  return value;
}
