// The planned agent count of a run (core/script/plannedAgents) for the run node and the status bar,
// read once per script since every refresh of a live run asks again; and the priced plan a run
// starts with.
import {
  FileRunStore,
  defaultPersonalDir,
  findRepoRoot,
  plannedAgents,
  pricedPlan,
  registryResolver,
  runPlanOf,
  type ParsedScript,
  type RunPlan,
} from '../../core';
import { listPricing } from '../../agent/listPricing';

const plans = new WeakMap<ParsedScript, number | null>();

/** Agents the run's script always starts, or undefined when the script does not fix the number. */
export function plannedTotal(session: { readonly script: ParsedScript }): number | undefined {
  let plan = plans.get(session.script);
  if (plan === undefined) plans.set(session.script, (plan = plannedAgents(session.script.source) ?? null));
  return plan ?? undefined;
}

/**
 * The priced plan a run starts with (issue 11 item 5), made by the engine after the start and kept
 * in run.json: the same plan as the pre-run dialog's (history of this folder, child workflows, list
 * prices). A script the estimator cannot read gets none, and the run shows spend only.
 */
export function makeRunPlan(
  script: ParsedScript,
  args: unknown,
  root: string,
  model: string | undefined,
): () => Promise<RunPlan | undefined> {
  return async () =>
    runPlanOf(
      await pricedPlan({
        source: script.source,
        file: script.file,
        name: script.meta.name,
        args,
        pricing: listPricing(model),
        history: FileRunStore.forWorkspace(root),
        loadChild: registryResolver({ cwd: root, repoRoot: findRepoRoot(root), personalDir: defaultPersonalDir() }),
      }),
    );
}
