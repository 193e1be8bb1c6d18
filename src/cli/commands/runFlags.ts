// The options run and resume share, checked once into typed values.
import { SLICE_MS_MAX, SLICE_MS_MIN, type RunCaps } from '../../core';
import {
  UsageError,
  intInRange,
  list,
  positiveInt,
  positiveNumber,
  scriptArgs,
  str,
  type OptionSpec,
  type OptionValues,
} from '../args';

export const RUN_OPTIONS: OptionSpec = {
  args: { type: 'string' },
  concurrency: { type: 'string' },
  budget: { type: 'string' },
  model: { type: 'string' },
  allow: { type: 'string', multiple: true },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
  'plugin-dir': { type: 'string', multiple: true },
  'worktree-base': { type: 'string' },
  'slice-ms': { type: 'string' },
  'max-cost': { type: 'string' },
  'max-agents': { type: 'string' },
  engine: { type: 'string' },
  agents: { type: 'string' },
};

export interface RunFlags {
  args?: unknown;
  argsGiven: boolean;
  concurrency?: number;
  budget?: number;
  model?: string;
  allow: string[];
  yes: boolean;
  json: boolean;
  /** `--plugin-dir`: Claude Code plugin folders whose workflows and agents to load, besides the installed ones. */
  pluginDirs: string[];
  /** `--worktree-base`: the ref `isolation: 'worktree'` agents start from; HEAD when absent. */
  worktreeBase?: string;
  /** `--slice-ms`: longest synchronous stretch of the script between awaits. */
  sliceMs?: number;
  /** `--max-cost USD`, `--max-agents N`: the run pauses (exit 3) rather than cross them. */
  caps: RunCaps;
  /** `--engine`: the remote engine's PostgreSQL URL (else DWF_ENGINE_URL); never printed. */
  engine?: string;
  /** `--agents remote`: every agent of the run on the engine's workers; default local. */
  agents: 'local' | 'remote';
}

export function runFlags(values: OptionValues, command: string): RunFlags {
  const rawArgs = str(values, 'args');
  const { args, given } = rawArgs === undefined ? { args: undefined, given: false } : scriptArgs(rawArgs, command);
  return {
    args,
    argsGiven: given,
    concurrency: positiveInt(values, 'concurrency', command),
    budget: positiveInt(values, 'budget', command),
    model: str(values, 'model'),
    allow: list(values, 'allow'),
    yes: values.yes === true,
    json: values.json === true,
    pluginDirs: list(values, 'plugin-dir'),
    worktreeBase: str(values, 'worktree-base'),
    sliceMs: intInRange(values, 'slice-ms', command, SLICE_MS_MIN, SLICE_MS_MAX, 'milliseconds'),
    engine: str(values, 'engine'),
    agents: agentsMode(values, command),
    caps: {
      maxCostUsd: positiveNumber(values, 'max-cost', command, 'USD'),
      maxAgents: positiveInt(values, 'max-agents', command),
    },
  };
}

function agentsMode(values: OptionValues, command: string): 'local' | 'remote' {
  const raw = str(values, 'agents');
  if (raw === undefined || raw === 'local') return 'local';
  if (raw === 'remote') return 'remote';
  throw new UsageError(`--agents expects local or remote, got ${JSON.stringify(raw)}`, command);
}
