// Model catalogue: aliases scripts use (`opus`, `sonnet`, `haiku`), prices for cost meters, and
// which effort levels a model takes. Prices in USD per million tokens (platform pricing page,
// 2026-11); unknown models cost by their family, and a name we cannot place costs nothing
// rather than a guess.
import type { TokenUsage } from '../core/types';

export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
  fable: 'claude-fable-5-2',
};

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export interface Price {
  input: number;
  output: number;
  cacheRead: number;
  /** 5-minute cache writes (workflow agents use the 5-minute TTL). */
  cacheWrite: number;
}

// Longest prefix first: 'claude-opus-5-5' must win over 'claude-opus-5'.
const PRICES: [prefix: string, price: Price][] = [
  ['claude-fable-5-1', { input: 10, output: 50, cacheRead: 0.25, cacheWrite: 12.5 }],
  ['claude-fable-5-2', { input: 10, output: 50, cacheRead: 0.25, cacheWrite: 12.5 }],
  ['claude-fable-5', { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 }],
  ['claude-mythos-5', { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 }],
  ['claude-opus-5-5', { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 }],
  ['claude-opus-5', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  ['claude-opus-4-5', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  ['claude-opus-4-6', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  ['claude-opus-4-7', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  ['claude-opus-4-8', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  ['claude-opus-4', { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 }],
  ['claude-sonnet-5-5', { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 }],
  ['claude-sonnet-5', { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 }],
  ['claude-sonnet-4', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
  ['claude-haiku-5-5', { input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite: 0.125 }],
  ['claude-haiku-4-5', { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }],
].sort((a, b) => (b[0] as string).length - (a[0] as string).length) as [string, Price][];

/** The full model id for an alias, a full id, or the default when none is given. */
export function resolveModel(model: string | undefined, defaultModel = DEFAULT_MODEL): string {
  if (!model) return MODEL_ALIASES[defaultModel] ?? defaultModel;
  return MODEL_ALIASES[model.toLowerCase()] ?? model;
}

export function priceOf(model: string): Price | undefined {
  return PRICES.find(([prefix]) => model.startsWith(prefix))?.[1];
}

/** USD for a usage record; 0 for a model without a known price. */
export function costUsd(model: string, usage: TokenUsage): number {
  const p = priceOf(model);
  if (!p) return 0;
  return (
    (usage.input * p.input +
      usage.output * p.output +
      usage.cacheRead * p.cacheRead +
      usage.cacheWrite * p.cacheWrite) /
    1e6
  );
}

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * The effort a model takes: 'xhigh'/'max' exist on the frontier models only, so they are
 * lowered to 'high' elsewhere; haiku takes no effort setting at all.
 */
export function effortFor(model: string, effort: Effort | undefined): Effort | undefined {
  if (!effort) return undefined;
  if (model.startsWith('claude-haiku')) return undefined;
  const frontier = /^claude-(opus|fable|mythos)-5/.test(model);
  if (!frontier && (effort === 'xhigh' || effort === 'max')) return 'high';
  return effort;
}
