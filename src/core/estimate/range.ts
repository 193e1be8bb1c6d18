// Low–high counts and the per-call-site tallies the fan-out walk adds, multiplies and branches.

export interface Range {
  low: number;
  high: number;
}

/**
 * Agents per call site (by site id) and in all. The total is kept apart because branches are
 * correlated: `c ? agent(a) : agent(b)` is 1 agent, though each site alone is 0–1.
 */
export interface Counts {
  sites: Map<number, Range>;
  total: Range;
}

/**
 * What a size or trip count nobody can know before the run (an agent's findings, a `while` over
 * `budget.remaining()`) is taken to be. Stated in every plan's basis line.
 */
export const UNKNOWN_REPEAT: Readonly<Range> = { low: 1, high: 10 };

export const exactly = (n: number): Range => ({ low: n, high: n });
export const none = (): Counts => ({ sites: new Map(), total: exactly(0) });
export const one = (site: number): Counts => ({ sites: new Map([[site, exactly(1)]]), total: exactly(1) });

export function addRange(a: Range, b: Range): Range {
  return { low: a.low + b.low, high: a.high + b.high };
}

export function addCounts(a: Counts, b: Counts): Counts {
  const sites = new Map(a.sites);
  for (const [site, r] of b.sites) sites.set(site, addRange(sites.get(site) ?? exactly(0), r));
  return { sites, total: addRange(a.total, b.total) };
}

export function scaleCounts(c: Counts, by: Range): Counts {
  const sites = new Map<number, Range>();
  for (const [site, r] of c.sites) sites.set(site, { low: r.low * by.low, high: r.high * by.high });
  return { sites, total: { low: c.total.low * by.low, high: c.total.high * by.high } };
}

/** One of two paths runs: each site (and the total) at least the smaller, at most the larger. */
export function eitherCounts(a: Counts, b: Counts): Counts {
  const sites = new Map<number, Range>();
  for (const site of new Set([...a.sites.keys(), ...b.sites.keys()])) {
    const x = a.sites.get(site) ?? exactly(0);
    const y = b.sites.get(site) ?? exactly(0);
    sites.set(site, { low: Math.min(x.low, y.low), high: Math.max(x.high, y.high) });
  }
  return { sites, total: { low: Math.min(a.total.low, b.total.low), high: Math.max(a.total.high, b.total.high) } };
}
