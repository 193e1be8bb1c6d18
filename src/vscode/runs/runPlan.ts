// The planned agent count of a run (core/script/plannedAgents) for the run node and the status bar,
// read once per script since every refresh of a live run asks again; and the priced plan a run
// starts with.
import {
  FileRunStore,
  defaultPersonalDir,
  findRepoRoot,
  personalFolder,
  plannedAgents,
  pricedPlan,
  registryResolver,
  runPlanOf,
  type ParsedScript,
  type PricedPlan,
  type RunPlan,
} from '../../core';
import { listPricing } from '../../agent/listPricing';
import { loadAgentLayer } from '../agents/loadAgentLayer';

const plans = new WeakMap<ParsedScript, number | null>();

/** Agents the run's script always starts, or undefined when the script does not fix the number. */
export function plannedTotal(session: { readonly script: ParsedScript }): number | undefined {
  let plan = plans.get(session.script);
  if (plan === undefined) plans.set(session.script, (plan = plannedAgents(session.script.source) ?? null));
  return plan ?? undefined;
}

/**
 * The priced plan of `script` with `args` in the folder `root` — history of this folder, child
 * workflows, list prices, agent types' models — for the pre-run dialog and the run alike. Without
 * a folder, defaults and list prices only.
 */
export function planOfScript(
  script: ParsedScript,
  args: unknown,
  root: string | undefined,
  model: string | undefined,
): Promise<PricedPlan> {
  // The agent layer (yaml) loads only for a script naming an agentType, and only then is it asked.
  const agentModel =
    root && script.source.includes('agentType')
      ? loadAgentLayer().agentTypeModels(root, personalFolder(process.env, process.cwd()))
      : undefined;
  return pricedPlan({
    source: script.source,
    file: script.file,
    name: script.meta.name,
    args,
    pricing: listPricing(model, agentModel),
    ...(root
      ? {
          history: FileRunStore.forWorkspace(root),
          loadChild: registryResolver({ cwd: root, repoRoot: findRepoRoot(root), personalDir: defaultPersonalDir() }),
        }
      : {}),
  });
}

/**
 * The priced plan a run starts with (issue 11 item 5), made by the engine after the start and kept
 * in run.json: the same plan as the pre-run dialog's. A script the estimator cannot read gets none,
 * and the run shows spend only.
 */
export function makeRunPlan(
  script: ParsedScript,
  args: unknown,
  root: string,
  model: string | undefined,
): () => Promise<RunPlan | undefined> {
  return async () => runPlanOf(await planOfScript(script, args, root, model));
}
