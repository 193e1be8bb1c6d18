// The priced plan (issue 11 item 1): agents per call site from the fan-out walk, tokens per agent
// from earlier runs of the same workflow when there are some (else defaults), priced per model at
// list prices. Pure apart from reading child scripts and journals; prices come in through Pricing
// because core does not import the agent layer's model table.
import * as acorn from 'acorn';
import { ACORN_OPTIONS } from '../script/syntax';
import { childKey, FanOutWalk, indexLines, type AgentSite, type LoadedChild, type WalkContext } from './fanout';
import { evaluate } from './evaluate';
import { readHistory, type HistoryStore, type PerAgentTokens, type RunHistory } from './history';
import { addRange, UNKNOWN_REPEAT, type Range } from './range';

/** USD per million tokens. */
export interface TokenPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface Pricing {
  /**
   * The model an agent runs on given its `opts.model`, else its agent type's model, else the run's
   * default — the runner's order.
   */
  resolve(model: string | undefined, agentType?: string): string;
  price(model: string): TokenPrice | undefined;
  /** Where the prices come from, for the basis line ("list prices of 2026-11"). */
  source: string;
}

export type ChildLoader = (
  ref: { name: string } | { scriptPath: string },
  fromFile: string,
) => Promise<{ source: string; file: string }>;

export interface PlanRequest {
  source: string;
  /** The script's file (workflow({scriptPath}) resolves relative to it). */
  file: string;
  /** meta.name: what earlier runs of the same workflow are found by. */
  name: string;
  args: unknown;
  pricing: Pricing;
  loadChild?: ChildLoader;
  history?: HistoryStore;
}

export interface PlanPart {
  agents: Range;
  tokens: { input: Range; output: Range };
  costUsd: Range;
}
export interface PhasePlan extends PlanPart {
  title: string;
}
export interface ModelPlan extends PlanPart {
  model: string;
  /** The model has no list price: its cost is not in the totals. */
  unpriced: boolean;
}
export interface SitePlan extends PlanPart {
  site: AgentSite;
  model: string;
  perAgent: PerAgentTokens;
  from: 'history' | 'runs average' | 'default';
}

export interface PricedPlan extends PlanPart {
  phases: PhasePlan[];
  models: ModelPlan[];
  sites: SitePlan[];
  basis: 'static' | 'history';
  /** What the figures rest on, in a sentence or two. */
  basisText: string;
  /** Parts of the script the plan could not follow. */
  notes: string[];
}

/** Tokens per agent without history: a short tool-using agent to a long one (cache reads dominate). */
export const DEFAULT_PER_AGENT: Readonly<PerAgentTokens> = {
  input: { low: 2_000, high: 20_000 },
  output: { low: 500, high: 6_000 },
  cacheRead: { low: 5_000, high: 150_000 },
  cacheWrite: { low: 2_000, high: 20_000 },
};

/** Input as the plan reports it: every prompt token, cached or not. */
const inputOf = (t: PerAgentTokens): Range => ({
  low: t.input.low + t.cacheRead.low + t.cacheWrite.low,
  high: t.input.high + t.cacheRead.high + t.cacheWrite.high,
});

function costPerAgent(t: PerAgentTokens, p: TokenPrice | undefined): Range {
  if (!p) return { low: 0, high: 0 };
  const at = (k: 'low' | 'high') =>
    (t.input[k] * p.input + t.output[k] * p.output + t.cacheRead[k] * p.cacheRead + t.cacheWrite[k] * p.cacheWrite) /
    1e6;
  return { low: at('low'), high: at('high') };
}

const times = (a: Range, b: Range): Range => ({ low: a.low * b.low, high: a.high * b.high });
const emptyPart = (): PlanPart => ({
  agents: { low: 0, high: 0 },
  tokens: { input: { low: 0, high: 0 }, output: { low: 0, high: 0 } },
  costUsd: { low: 0, high: 0 },
});

function addPart<T extends PlanPart>(into: T, p: PlanPart): T {
  into.agents = addRange(into.agents, p.agents);
  into.tokens = {
    input: addRange(into.tokens.input, p.tokens.input),
    output: addRange(into.tokens.output, p.tokens.output),
  };
  into.costUsd = addRange(into.costUsd, p.costUsd);
  return into;
}

export async function pricedPlan(req: PlanRequest): Promise<PricedPlan> {
  const ctx: WalkContext = { sites: [], children: new Map(), notes: [] };
  const program = parse(req.source);
  const root = new FanOutWalk(ctx, req.file, program, req.args);
  await loadChildren(program, root, req, ctx);
  const counts = root.walk();
  const history = req.history ? readHistory(req.history, req.name, ctx.sites, req.args) : undefined;
  const learned = !!history && history.runs > 0;

  const sites: SitePlan[] = [];
  let learnedCounts = 0;
  for (const site of ctx.sites) {
    let agents = counts.sites.get(site.id) ?? { low: 0, high: 0 };
    // Counts the args leave open come from earlier runs with the same args, when there are some.
    const seen = agents.low !== agents.high ? history?.agentsBySite.get(site.id) : undefined;
    if (seen) {
      agents = seen;
      learnedCounts++;
    }
    const model = req.pricing.resolve(site.model, site.agentType);
    const own = history?.bySite.get(site.id);
    const perAgent = own ?? history?.overall ?? DEFAULT_PER_AGENT;
    const from = own ? 'history' : history?.overall ? 'runs average' : 'default';
    const tokens = { input: times(agents, inputOf(perAgent)), output: times(agents, perAgent.output) };
    sites.push({
      site,
      model,
      perAgent,
      from,
      agents,
      tokens,
      costUsd: times(agents, costPerAgent(perAgent, req.pricing.price(model))),
    });
  }

  const phases = new Map<string, PhasePlan>();
  const models = new Map<string, ModelPlan>();
  const total = emptyPart();
  for (const s of sites) {
    const title = s.site.phase ?? '(no phase)';
    addPart(phases.get(title) ?? phases.set(title, { title, ...emptyPart() }).get(title)!, s);
    addPart(
      models.get(s.model) ??
        models.set(s.model, { model: s.model, unpriced: !req.pricing.price(s.model), ...emptyPart() }).get(s.model)!,
      s,
    );
    addPart(total, s);
  }
  const agentsTotal = learnedCounts ? total.agents : counts.total;
  return {
    ...total,
    agents: agentsTotal,
    phases: [...phases.values()],
    models: [...models.values()],
    sites,
    basis: learned ? 'history' : 'static',
    basisText: basisText(req, sites, learned ? history : undefined, learnedCounts),
    notes: ctx.notes,
  };
}

function parse(source: string): acorn.Program {
  const text = source.replace(/\r\n/g, '\n');
  const program = acorn.parse(text, ACORN_OPTIONS);
  indexLines(program, text);
  return program;
}

/** Reads the scripts workflow() names before the (synchronous) walk. */
async function loadChildren(
  program: acorn.Program,
  scope: FanOutWalk,
  req: PlanRequest,
  ctx: WalkContext,
): Promise<void> {
  const calls: acorn.CallExpression[] = [];
  const visit = (n: acorn.AnyNode) => {
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'workflow') calls.push(n);
    for (const key in n) {
      const v = (n as unknown as Record<string, unknown>)[key];
      for (const c of Array.isArray(v) ? v : [v])
        if (c && typeof c === 'object' && typeof (c as acorn.AnyNode).type === 'string') visit(c as acorn.AnyNode);
    }
  };
  visit(program);
  for (const call of calls) {
    const ref = evaluate(call.arguments[0] as acorn.AnyNode, scope);
    const key = childKey(ref, req.file);
    if (!key || ctx.children.has(key)) continue;
    if (!req.loadChild) {
      ctx.children.set(key, { error: 'child workflows are not read here' });
      continue;
    }
    try {
      const asRef =
        typeof ref === 'string' ? { name: ref } : { scriptPath: (ref as { scriptPath: string }).scriptPath };
      const { source, file } = await req.loadChild(asRef, req.file);
      ctx.children.set(key, { file, program: parse(source) } satisfies LoadedChild);
    } catch (e) {
      ctx.children.set(key, { error: (e as Error).message });
    }
  }
}

const k = (n: number) => (n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n));
const span = (r: Range) => (r.low === r.high ? k(r.low) : `${k(r.low)}–${k(r.high)}`);

function basisText(
  req: PlanRequest,
  sites: SitePlan[],
  history: RunHistory | undefined,
  learnedCounts: number,
): string {
  const parts: string[] = ['agent counts from the script evaluated with these args'];
  if (learnedCounts && history)
    parts.push(
      `${learnedCounts} call site${learnedCounts === 1 ? '' : 's'} the args do not fix counted as in ${history.sameArgsRuns} earlier run${history.sameArgsRuns === 1 ? '' : 's'} with the same args`,
    );
  else if (sites.some((s) => s.agents.low !== s.agents.high))
    parts.push(`sizes and loops the args do not fix counted ${UNKNOWN_REPEAT.low}–${UNKNOWN_REPEAT.high} times`);
  if (history) {
    const own = sites.filter((s) => s.from === 'history').length;
    parts.push(
      `tokens per agent from ${history.runs} earlier run${history.runs === 1 ? '' : 's'} of "${req.name}" in this workspace (${history.agents} agents; ${own} of ${sites.length} call sites matched, the rest at the runs' average)`,
    );
  } else {
    const d = DEFAULT_PER_AGENT;
    parts.push(
      `default tokens per agent (input ${span(d.input)}, cache read ${span(d.cacheRead)}, cache write ${span(d.cacheWrite)}, output ${span(d.output)}): no earlier run of "${req.name}" here`,
    );
  }
  parts.push(req.pricing.source);
  return parts.join('; ');
}
