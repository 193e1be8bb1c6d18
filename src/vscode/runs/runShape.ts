// The model and concurrency a run uses, said before the run (pre-run dialog) and on it (run node
// tooltip): a 2-core machine runs two agents at a time by default, and the person should see that
// and which setting changes it.
import { availableParallelism } from 'node:os';
import { ConcurrencyGate } from '../../shared/concurrencyGate';
import { resolveModel } from '../../agent/models';

export interface RunShape {
  /** Full model id for agents whose agent() call names none. */
  model: string;
  /** dynamicWorkflows.model as set (an alias or id); undefined: the extension's default. */
  modelSetting?: string;
  /** Agents running at once. */
  concurrency: number;
  /** True when dynamicWorkflows.concurrency set it; false: the default from the CPU count. */
  concurrencySet: boolean;
  cpus: number;
}

export function runShape(
  settings: { model?: string; concurrency?: number },
  cpus: number = availableParallelism(),
): RunShape {
  return {
    model: resolveModel(settings.model),
    ...(settings.model ? { modelSetting: settings.model } : {}),
    concurrency: settings.concurrency ?? ConcurrencyGate.defaultLimit(cpus),
    concurrencySet: settings.concurrency !== undefined,
    cpus,
  };
}

/** "Model: claude-sonnet-5-5 for agents that name none (the default; set dynamicWorkflows.model)". */
export function modelLine(shape: RunShape): string {
  const why = shape.modelSetting
    ? `dynamicWorkflows.model is ${shape.modelSetting === shape.model ? 'set' : `"${shape.modelSetting}"`}`
    : 'the default; set dynamicWorkflows.model to change it';
  return `Model: ${shape.model} for agents that name none (${why})`;
}

/** "Concurrency: 2 agents at a time (2 CPU cores); set dynamicWorkflows.concurrency to change it". */
export function concurrencyLine(shape: RunShape): string {
  const n = `${shape.concurrency} agent${shape.concurrency === 1 ? '' : 's'} at a time`;
  if (shape.concurrencySet) return `Concurrency: ${n} (dynamicWorkflows.concurrency)`;
  return `Concurrency: ${n} (${shape.cpus} CPU core${shape.cpus === 1 ? '' : 's'}); set dynamicWorkflows.concurrency to change it`;
}
