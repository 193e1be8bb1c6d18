// The estimator's prices: the model table of models.ts, behind core's Pricing port.
import type { Pricing } from '../core/estimate/plan';
import { DEFAULT_MODEL, priceOf, resolveModel } from './models';

/**
 * Agents that name no model run on their agent type's model (`agentModel`: the definitions the run
 * would load; without it, none), else on `defaultModel` (the run's --model or setting), as the runner does.
 */
export function listPricing(
  defaultModel: string | undefined,
  agentModel: (agentType: string) => string | undefined = () => undefined,
): Pricing {
  return {
    resolve: (model, agentType) =>
      resolveModel(model ?? (agentType ? agentModel(agentType) : undefined), defaultModel ?? DEFAULT_MODEL),
    price: priceOf,
    source:
      'list prices (USD per million tokens, platform pricing page 2026-11), incl. cache reads and 5-minute cache writes',
  };
}
