// The learned part of an estimate: what agents of the same workflow used when it ran before in
// this workspace, per call site, read from the runs' journals (label → site, result → usage).
import { readJournal } from '../journal/journalFile';
import type { RunRecord } from '../journal/runStore';
import type { TokenUsage } from '../types';
import type { AgentSite } from './fanout';
import type { Range } from './range';
import { matchSite, sitePattern } from './siteMatch';

/** Tokens one agent uses, by kind. */
export interface PerAgentTokens {
  input: Range;
  output: Range;
  cacheRead: Range;
  cacheWrite: Range;
}

export interface RunHistory {
  /** Runs whose journals contributed. */
  runs: number;
  /** Agents with recorded usage. */
  agents: number;
  /** Per site id: each run's average per agent, from its lowest to its highest. */
  bySite: Map<number, PerAgentTokens>;
  /** Every recorded agent, for sites that have no history of their own. */
  overall?: PerAgentTokens;
  /** Completed runs with the same args as this estimate. */
  sameArgsRuns: number;
  /** Per site id: agents it started in those runs, fewest to most (absent: none). */
  agentsBySite: Map<number, Range>;
}

/** What history needs of a run store (FileRunStore has it). */
export interface HistoryStore {
  list(): RunRecord[];
  journalPath(runId: string): string;
  readArgs(runId: string): { args: unknown } | undefined;
}

/** Recent runs considered: the newest are the most like the script as it is now. */
const MAX_RUNS = 5;
const KINDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

export function readHistory(
  store: HistoryStore,
  workflowName: string,
  sites: readonly AgentSite[],
  args: unknown,
): RunHistory {
  const candidates = sites.flatMap((site) => {
    const pattern = sitePattern(site);
    return pattern ? [{ site, pattern }] : [];
  });
  const perSite = new Map<number, TokenUsage[]>(); // one average per run
  const all: TokenUsage[] = [];
  let runs = 0;
  let agents = 0;
  const sameArgs: Map<number, number>[] = [];
  const argsText = JSON.stringify(args ?? null);
  for (const record of store
    .list()
    .filter((r) => r.name === workflowName && r.status !== 'running')
    .slice(0, MAX_RUNS)) {
    const usage = agentUsage(store.journalPath(record.runId));
    if (usage.length === 0) continue;
    runs++;
    agents += usage.length;
    const grouped = new Map<number, TokenUsage[]>();
    for (const a of usage) {
      all.push(a.usage);
      const site = matchSite(a.label, candidates);
      if (site) grouped.set(site.id, [...(grouped.get(site.id) ?? []), a.usage]);
    }
    for (const [id, list] of grouped) perSite.set(id, [...(perSite.get(id) ?? []), mean(list)]);
    // A data-dependent fan-out (findings per file) tends to repeat on the same input.
    if (record.status === 'completed' && JSON.stringify(store.readArgs(record.runId)?.args ?? null) === argsText) {
      sameArgs.push(new Map([...grouped].map(([id, list]) => [id, list.length])));
    }
  }
  const agentsBySite = new Map<number, Range>();
  if (sameArgs.length) {
    for (const site of sites) {
      const seen = sameArgs.map((m) => m.get(site.id) ?? 0);
      agentsBySite.set(site.id, { low: Math.min(...seen), high: Math.max(...seen) });
    }
  }
  const bySite = new Map<number, PerAgentTokens>();
  for (const [id, averages] of perSite) bySite.set(id, spread(averages));
  return {
    runs,
    agents,
    bySite,
    ...(all.length ? { overall: spread([mean(all)]) } : {}),
    sameArgsRuns: sameArgs.length,
    agentsBySite,
  };
}

/** Label and usage of every agent the journal has a result with usage for (replays add none). */
function agentUsage(journalPath: string): { label: string; usage: TokenUsage }[] {
  let lines;
  try {
    lines = readJournal(journalPath).lines;
  } catch {
    return [];
  }
  const labels = new Map<string, string>();
  const out: { label: string; usage: TokenUsage }[] = [];
  for (const l of lines) {
    if (l.type === 'started') labels.set(l.agentId, l.label);
    if (l.type === 'result' && l.usage) {
      const label = labels.get(l.agentId);
      if (label !== undefined) out.push({ label, usage: l.usage });
    }
  }
  return out;
}

function mean(list: TokenUsage[]): TokenUsage {
  const sum = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const u of list) for (const k of KINDS) sum[k] += u[k] ?? 0;
  for (const k of KINDS) sum[k] = Math.round(sum[k] / list.length);
  return sum;
}

function spread(averages: TokenUsage[]): PerAgentTokens {
  const range = (k: (typeof KINDS)[number]): Range => ({
    low: Math.min(...averages.map((a) => a[k])),
    high: Math.max(...averages.map((a) => a[k])),
  });
  return {
    input: range('input'),
    output: range('output'),
    cacheRead: range('cacheRead'),
    cacheWrite: range('cacheWrite'),
  };
}
