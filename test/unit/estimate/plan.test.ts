// Pricing and the learned estimate (issue 11 item 1): list prices per model incl. cache reads and
// writes, per-phase and per-model parts, and per-call-site tokens from earlier runs' journals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pricedPlan, DEFAULT_PER_AGENT } from '../../../src/core/estimate/plan';
import { planJson, planLines } from '../../../src/core/estimate/planText';
import { listPricing } from '../../../src/agent/listPricing';
import { priceOf } from '../../../src/agent/models';
import { agentTypeModels } from '../../../src/host/agentTypeModels';
import { FileRunStore, type RunRecord } from '../../../src/core/journal/runStore';
import { JournalWriter } from '../../../src/core/journal/journalFile';
import type { TokenUsage } from '../../../src/core/types';

const SCRIPT = `export const meta = { name: 'rev', description: 'review', phases: [{ title: 'Review' }, { title: 'Verify' }] }
phase('Review')
const found = await parallel(args.files.map((f) => () => agent(\`Review \${f} for bugs\`, { label: \`review:\${f}\` })))
phase('Verify')
await parallel(args.files.map((f) => () => agent(\`Verify \${f}\`, { label: \`verify:\${f}\`, model: 'haiku' })))
`;
const ARGS = { files: ['a.ts', 'b.ts', 'c.ts'] };

function record(runId: string, name: string): RunRecord {
  return {
    runId,
    name,
    description: '',
    status: 'completed',
    createdAt: 1,
    updatedAt: 2,
    agents: { total: 0, done: 0, cached: 0, failed: 0, skipped: 0 },
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    logs: [],
  };
}

/** A finished run of `name` whose journal holds one result per [label, usage]. */
function pastRun(store: FileRunStore, name: string, agents: [string, TokenUsage][]): void {
  const runId = store.newRunId();
  store.create(runId, { source: SCRIPT, args: ARGS, record: record(runId, name) });
  const j = new JournalWriter(store.journalPath(runId));
  agents.forEach(([label, usage], i) => {
    j.append({ type: 'started', key: `k${i}`, agentId: `a${i}`, index: i, label, pos: 'p', content: 'c' });
    j.append({ type: 'result', key: `k${i}`, agentId: `a${i}`, result: 'ok', usage, model: 'claude-sonnet-5-5' });
  });
  j.close();
}

const usage = (input: number, output: number, cacheRead = 0, cacheWrite = 0): TokenUsage => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});

describe('estimate/plan: pricing and history', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-plan-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prices each site at its model list price, incl. cache reads and writes, per phase and per model', async () => {
    const plan = await pricedPlan({
      source: SCRIPT,
      file: path.join(tmp, 'wf.js'),
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
    });
    assert.equal(plan.basis, 'static');
    assert.deepEqual(plan.agents, { low: 6, high: 6 });
    const sonnet = priceOf('claude-sonnet-5-5')!;
    const haiku = priceOf('claude-haiku-5-5')!;
    const d = DEFAULT_PER_AGENT;
    const per = (p: typeof sonnet, k: 'low' | 'high') =>
      (d.input[k] * p.input + d.output[k] * p.output + d.cacheRead[k] * p.cacheRead + d.cacheWrite[k] * p.cacheWrite) /
      1e6;
    assert.deepEqual(
      plan.models.map((m) => [m.model, m.agents.low]),
      [
        ['claude-sonnet-5-5', 3],
        ['claude-haiku-5-5', 3],
      ],
    );
    assert.ok(Math.abs(plan.models[0].costUsd.high - 3 * per(sonnet, 'high')) < 1e-9);
    assert.ok(Math.abs(plan.models[1].costUsd.low - 3 * per(haiku, 'low')) < 1e-9);
    assert.ok(Math.abs(plan.costUsd.low - 3 * (per(sonnet, 'low') + per(haiku, 'low'))) < 1e-9);
    assert.deepEqual(
      plan.phases.map((p) => [p.title, p.agents.high]),
      [
        ['Review', 3],
        ['Verify', 3],
      ],
    );
    assert.deepEqual(plan.tokens.output, { low: 6 * d.output.low, high: 6 * d.output.high });
    assert.deepEqual(
      plan.tokens.input.low,
      6 * (d.input.low + d.cacheRead.low + d.cacheWrite.low),
      'input counts cached tokens too',
    );
  });

  it('--model changes the default model the unnamed sites are priced at', async () => {
    const plan = await pricedPlan({
      source: SCRIPT,
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing('opus'),
    });
    assert.deepEqual(
      plan.models.map((m) => m.model),
      ['claude-opus-5-5', 'claude-haiku-5-5'],
    );
  });

  it("an agentType's model prices its site, as the runner runs it; opts.model still wins", async () => {
    // A project agent naming opus, the built-in Explore (haiku), and one site overriding Explore's model.
    fs.mkdirSync(path.join(tmp, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, '.claude', 'agents', 'auditor.md'),
      '---\nname: auditor\ndescription: audits\nmodel: opus\n---\nAudit.\n',
    );
    const source = `export const meta = { name: 'types', description: 'd' }
await agent('find', { agentType: 'Explore' })
await agent('audit', { agentType: 'auditor' })
await agent('find again', { agentType: 'Explore', model: 'sonnet' })
await agent('plain')
`;
    const home = path.join(tmp, 'home');
    const plan = await pricedPlan({
      source,
      file: path.join(tmp, 'wf.js'),
      name: 'types',
      args: {},
      pricing: listPricing(undefined, agentTypeModels(tmp, { home, configDir: path.join(home, '.claude') })),
    });
    assert.deepEqual(
      plan.sites.map((s) => s.model),
      ['claude-haiku-5-5', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-sonnet-5-5'],
    );
    // Without the definitions (no folder to read them from) every site is at the default model.
    const blind = await pricedPlan({ source, file: 'wf.js', name: 'types', args: {}, pricing: listPricing(undefined) });
    assert.ok(blind.sites.every((s) => s.model === 'claude-sonnet-5-5'));
  });

  it('a model without a list price is said so and costs nothing in the totals', async () => {
    const plan = await pricedPlan({
      source: SCRIPT.replace("model: 'haiku'", "model: 'local-llm'"),
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
    });
    const local = plan.models.find((m) => m.model === 'local-llm')!;
    assert.equal(local.unpriced, true);
    assert.deepEqual(local.costUsd, { low: 0, high: 0 });
    assert.ok(planLines(plan).some((l) => /local-llm: 3 agents, no list price/.test(l)));
  });

  it('earlier runs of the same workflow give tokens per call site (basis "history")', async () => {
    const store = new FileRunStore(path.join(tmp, 'runs'));
    pastRun(store, 'rev', [
      ['review:x.ts', usage(1000, 300, 5000, 200)],
      ['review:y.ts', usage(3000, 500, 5000, 200)],
      ['verify:x.ts', usage(100, 10)],
    ]);
    pastRun(store, 'another-workflow', [['review:z.ts', usage(1e6, 1e6)]]);
    const plan = await pricedPlan({
      source: SCRIPT,
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
      history: store,
    });
    assert.equal(plan.basis, 'history');
    const review = plan.sites.find((s) => s.site.phase === 'Review')!;
    const verify = plan.sites.find((s) => s.site.phase === 'Verify')!;
    assert.equal(review.from, 'history');
    assert.deepEqual(review.perAgent.input, { low: 2000, high: 2000 }, 'the mean of the two reviews');
    assert.deepEqual(review.perAgent.cacheRead, { low: 5000, high: 5000 });
    assert.deepEqual(verify.perAgent.output, { low: 10, high: 10 });
    assert.deepEqual(plan.tokens.output, { low: 3 * 400 + 3 * 10, high: 3 * 400 + 3 * 10 });
    assert.deepEqual(plan.tokens.input, { low: 3 * 7200 + 3 * 100, high: 3 * 7200 + 3 * 100 });
    assert.match(plan.basisText, /1 earlier run of "rev" in this workspace \(3 agents; 2 of 2 call sites matched/);
    assert.deepEqual(planJson(plan).basis, 'history');
  });

  it('a site no earlier agent matches takes the runs average; several runs give a low–high spread', async () => {
    const store = new FileRunStore(path.join(tmp, 'runs'));
    pastRun(store, 'rev', [['review:a.ts', usage(1000, 100)]]);
    pastRun(store, 'rev', [['review:a.ts', usage(3000, 300)]]);
    const plan = await pricedPlan({
      source: SCRIPT,
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
      history: store,
    });
    const review = plan.sites.find((s) => s.site.phase === 'Review')!;
    const verify = plan.sites.find((s) => s.site.phase === 'Verify')!;
    assert.deepEqual(review.perAgent.input, { low: 1000, high: 3000 });
    assert.equal(verify.from, 'runs average');
    assert.deepEqual(verify.perAgent.output, { low: 200, high: 200 });
  });

  it('counts the args leave open come from earlier runs with the same args; other args keep the range', async () => {
    const open = SCRIPT.replace(
      'await parallel(args.files.map((f) => () => agent(`Verify',
      'const r = await agent("pick"); await parallel(r.files.map((f) => () => agent(`Verify',
    );
    const store = new FileRunStore(path.join(tmp, 'runs'));
    pastRun(store, 'rev', [
      ['review:a.ts', usage(10, 1)],
      ['verify:a.ts', usage(10, 1)],
      ['verify:b.ts', usage(10, 1)],
    ]);
    const same = await pricedPlan({
      source: open,
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
      history: store,
    });
    const verify = same.sites.find((s) => s.site.phase === 'Verify' && s.site.labelNode)!;
    assert.deepEqual(verify.agents, { low: 2, high: 2 }, 'two verifiers ran last time with these args');
    assert.match(same.basisText, /1 call site the args do not fix counted as in 1 earlier run with the same args/);
    const other = await pricedPlan({
      source: open,
      file: 'wf.js',
      name: 'rev',
      args: { files: ['z.ts'] },
      pricing: listPricing(undefined),
      history: store,
    });
    assert.deepEqual(other.sites.find((s) => s.site.phase === 'Verify' && s.site.labelNode)!.agents, {
      low: 1,
      high: 10,
    });
  });

  it('--json is exactly the documented object', async () => {
    const plan = await pricedPlan({
      source: SCRIPT,
      file: 'wf.js',
      name: 'rev',
      args: ARGS,
      pricing: listPricing(undefined),
    });
    const json = planJson(plan);
    assert.deepEqual(Object.keys(json), ['agents', 'tokens', 'costUsd', 'phases', 'basis']);
    assert.deepEqual(Object.keys(json.tokens), ['input', 'output']);
    assert.deepEqual(Object.keys(json.phases[0]), ['title', 'agents', 'costUsd']);
  });
});
