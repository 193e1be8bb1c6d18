// The priced plan of a script in this workspace, for `dwf estimate` and `dwf run`'s live view.
import { pricedPlan, registryResolver, type ParsedScript, type PricedPlan } from '../core';
import { listPricing } from '../agent/listPricing';
import { agentTypeModels } from '../host/agentTypeModels';
import type { CliWorkspace } from './workspace';

/** The priced plan of `script` with `args` in this workspace (history, child workflows, prices). */
export function planOf(
  script: ParsedScript,
  args: unknown,
  ws: CliWorkspace,
  model: string | undefined,
): Promise<PricedPlan> {
  return pricedPlan({
    source: script.source,
    file: script.file,
    name: script.meta.name,
    args,
    pricing: listPricing(model, agentTypeModels(ws.root, ws, ws.registry.pluginDirs)),
    loadChild: registryResolver(ws.registry),
    history: ws.store,
  });
}
