// `dwf run` before a large run starts (issue 11 item 3): on a terminal the priced plan is printed
// and the person answers y/N; headless (no terminal, CI, --json) the run needs --yes or a cap. A
// refusal is exit 2 with nothing started: the check runs before the engine makes the run's folder.
import { UsageError, type OptionSpec, type OptionValues } from './args';
import { Rejected } from './errors';
import type { CliIo, OutStream } from './io';
import type { RunFlags } from './commands/runFlags';
import {
  DEFAULT_CONFIRM_THRESHOLDS,
  largeRun,
  largeRunQuestion,
  planHeadline,
  planLines,
  type ConfirmThresholds,
  type PricedPlan,
} from '../core';

export const CONFIRM_OPTIONS: OptionSpec = {
  'confirm-above-agents': { type: 'string' },
  'confirm-above-tokens': { type: 'string' },
};

/** `--confirm-above-agents N`, `--confirm-above-tokens N`, else Claude Code's thresholds. */
export function confirmThresholds(values: OptionValues, command: string): ConfirmThresholds {
  const read = (flag: string, unit: string): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const s = String(raw).trim();
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)))
      throw new UsageError(`--${flag} expects a whole number of ${unit} ≥ 0, got ${JSON.stringify(raw)}`, command);
    return Number(s);
  };
  return {
    agents: read('confirm-above-agents', 'agents') ?? DEFAULT_CONFIRM_THRESHOLDS.agents,
    tokens: read('confirm-above-tokens', 'tokens') ?? DEFAULT_CONFIRM_THRESHOLDS.tokens,
  };
}

export interface GateContext {
  /** Where the run's progress goes; the plan and the question are written there. */
  out: OutStream;
  /** Someone at a terminal can answer (stdin and `out` are terminals, not CI, not --json). */
  interactive: boolean;
}

/** Resolves when the run may start; throws Rejected (exit 2) when it may not. */
export async function confirmLargeRun(
  io: CliIo,
  ctx: GateContext,
  flags: RunFlags,
  thresholds: ConfirmThresholds,
  plan: () => Promise<PricedPlan | undefined>,
): Promise<void> {
  const capped = flags.caps.maxCostUsd !== undefined || flags.caps.maxAgents !== undefined;
  // --yes is the yes; headless, a cap bounds what the run can spend. Neither needs a plan.
  if (flags.yes || (!ctx.interactive && capped)) return;
  const p = await plan();
  // No plan (the estimator could not read the script) means no figures to confirm against.
  const large = p && largeRun(p, thresholds);
  if (!p || !large) return;
  if (!ctx.interactive) throw new Rejected(headlessRefusal(p, large.reason, headlessWhy(io, flags)));
  ctx.out.write([`Large run: ${large.reason}.`, ...planLines(p)].join('\n') + `\n${largeRunQuestion(p)} [y/N] `);
  const answer = await io.ask?.();
  if (answer !== undefined && /^\s*y(es)?\s*$/i.test(answer)) return;
  if (answer === undefined) ctx.out.write('\n');
  throw new Rejected(
    `Not started: ${answer === undefined ? 'no answer (end of input)' : 'not confirmed'}. Nothing ran. Pass --yes to skip this question, or --confirm-above-agents/--confirm-above-tokens to ask only above other sizes.`,
  );
}

function headlessWhy(io: CliIo, flags: RunFlags): string {
  if (flags.json) return '--json runs are headless';
  if (io.env.CI) return 'CI is set';
  return 'no terminal to ask on';
}

function headlessRefusal(plan: PricedPlan, reason: string, why: string): string {
  return [
    `Not started: a large run needs a yes, and nobody can be asked here (${why}). Nothing ran.`,
    `Large: ${reason}.`,
    `Plan: ${planHeadline(plan)}.`,
    'To run it, pass one of:',
    `  --yes             run it as planned (also approves every command its agents ask to run)`,
    `  --max-cost USD    pause before the spend passes USD (the plan's high end: ${(Math.ceil(plan.costUsd.high * 100) / 100).toFixed(2)})`,
    `  --max-agents N    pause before agent N+1 would start (the plan's high end: ${plan.agents.high})`,
  ].join('\n');
}
