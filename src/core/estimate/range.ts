// Low–high counts and the per-call-site tallies the fan-out walk adds, multiplies and branches.

export interface Range {
  low: number;
  high: number;
}

/** Agents per call site (by site id). */
export type Counts = Map<number, Range>;

/**
 * What a size or trip count nobody can know before the run (an agent's findings, a `while` over
 * `budget.remaining()`) is taken to be. Stated in every plan's basis line.
 */
export const UNKNOWN_REPEAT: Readonly<Range> = { low: 1, high: 10 };

export const exactly = (n: number): Range => ({ low: n, high: n });
export const none = (): Counts => new Map();

export function addCounts(a: Counts, b: Counts): Counts {
  const out = new Map(a);
  for (const [site, r] of b) {
    const prev = out.get(site);
    out.set(site, prev ? { low: prev.low + r.low, high: prev.high + r.high } : { ...r });
  }
  return out;
}

export function scaleCounts(c: Counts, by: Range): Counts {
  const out: Counts = new Map();
  for (const [site, r] of c) out.set(site, { low: r.low * by.low, high: r.high * by.high });
  return out;
}

/** One of two paths runs: each site at least the smaller, at most the larger of the two. */
export function eitherCounts(a: Counts, b: Counts): Counts {
  const out: Counts = new Map();
  for (const site of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(site) ?? exactly(0);
    const y = b.get(site) ?? exactly(0);
    out.set(site, { low: Math.min(x.low, y.low), high: Math.max(x.high, y.high) });
  }
  return out;
}

export function totalOf(c: Counts): Range {
  let low = 0;
  let high = 0;
  for (const r of c.values()) {
    low += r.low;
    high += r.high;
  }
  return { low, high };
}

export function addRange(a: Range, b: Range): Range {
  return { low: a.low + b.low, high: a.high + b.high };
}
