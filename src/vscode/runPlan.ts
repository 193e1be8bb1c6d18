// The planned agent count of a run (core/script/plannedAgents) for the run node and the status bar:
// read once per script, since every refresh of a live run asks again.
import { plannedAgents } from '../core';
import type { ParsedScript } from '../core';

const plans = new WeakMap<ParsedScript, number | null>();

/** Agents the run's script always starts, or undefined when the script does not fix the number. */
export function plannedTotal(session: { readonly script: ParsedScript }): number | undefined {
  let plan = plans.get(session.script);
  if (plan === undefined) plans.set(session.script, (plan = plannedAgents(session.script.source) ?? null));
  return plan ?? undefined;
}
