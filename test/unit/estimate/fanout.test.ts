// The static estimate evaluated with the actual args (issue 11 item 1): fan-outs over args arrays,
// pipelines, loops bounded by args, conditionals on args, helpers and nested workflow() calls.
import assert from 'node:assert/strict';
import { pricedPlan, type ChildLoader, type Pricing } from '../../../src/core/estimate/plan';

const META = "export const meta = { name: 'fan', description: 'estimate' }\n";

/** One made-up model at $1 per million of every kind, so costs read as token counts. */
const FLAT: Pricing = {
  resolve: (m) => m ?? 'flat',
  price: () => ({ input: 1, output: 1, cacheRead: 1, cacheWrite: 1 }),
  source: 'flat prices',
};

async function agents(body: string, args?: unknown, loadChild?: ChildLoader) {
  const plan = await pricedPlan({
    source: META + body,
    file: '/ws/wf.js',
    name: 'fan',
    args,
    pricing: FLAT,
    loadChild,
  });
  return { total: plan.agents, plan };
}

describe('estimate/fanout: agents with the actual args', () => {
  it('a parallel over args.files is one agent per file, exactly', async () => {
    const files = Array.from({ length: 40 }, (_, i) => `src/f${i}.ts`);
    const { total } = await agents('await parallel(args.files.map((f) => () => agent(`Review ${f}`)))', { files });
    assert.deepEqual(total, { low: 40, high: 40 });
  });

  it('follows consts, the string-or-JSON args idiom, slice and Math.min', async () => {
    const body = [
      "const input = typeof args === 'string' ? JSON.parse(args) : args",
      'const files = input.files.slice(0, Math.min(input.max, 10))',
      'await parallel(files.map((f) => () => agent(`Review ${f}`)))',
    ].join('\n');
    const args = JSON.stringify({ files: ['a', 'b', 'c', 'd', 'e'], max: 3 });
    assert.deepEqual((await agents(body, args)).total, { low: 3, high: 3 });
  });

  it('without args the same fan-out is a range, not a guess', async () => {
    const { total, plan } = await agents('await parallel((args?.files ?? []).map((f) => () => agent(`Review ${f}`)))');
    assert.deepEqual(total, { low: 0, high: 0 }, 'undefined args: the runtime maps over []');
    const open = await agents(
      'const r = await agent("list"); await parallel(r.files.map((f) => () => agent(`Review ${f}`)))',
    );
    assert.deepEqual(open.total, { low: 2, high: 11 }, 'one lister plus 1–10 reviewers');
    assert.match(open.plan.basisText, /counted 1–10 times/);
    assert.equal(plan.basis, 'static');
  });

  it('pipelines multiply every stage by the items', async () => {
    const body =
      'await pipeline(args.items, (i) => agent(`Draft ${i}`), (d) => agent(`Polish ${d}`), (p) => parallel([() => agent("v1"), () => agent("v2")]))';
    assert.deepEqual((await agents(body, { items: ['x', 'y', 'z'] })).total, { low: 12, high: 12 });
  });

  it('for loops bounded by args, for-of over args and Array.from({length})', async () => {
    const body = [
      'for (let round = 0; round < args.rounds; round++) await agent(`round ${round}`)',
      'for (let i = 1; i <= args.rounds; i++) await agent(`again ${i}`)',
      'for (const t of args.topics) await agent(`Survey ${t}`)',
      'await parallel(Array.from({ length: args.n }, (_, i) => () => agent(`n${i}`)))',
    ].join('\n');
    assert.deepEqual((await agents(body, { rounds: 4, topics: ['a', 'b'], n: 5 })).total, {
      low: 4 + 4 + 2 + 5,
      high: 15,
    });
  });

  it('a while loop is a range: its trip count is not known before the run', async () => {
    assert.deepEqual(
      (await agents('let dry = 0\nwhile (dry < 2) { const r = await agent("hunt"); if (!r) dry++ }')).total,
      { low: 1, high: 10 },
    );
  });

  it('conditions on args pick their branch; other conditions give low–high', async () => {
    const body = [
      'if (args.verify) await parallel(args.files.map((f) => () => agent(`Verify ${f}`)))',
      'const r = await agent("decide")',
      'if (r.ok) await agent("extra")',
    ].join('\n');
    assert.deepEqual((await agents(body, { verify: true, files: ['a', 'b'] })).total, { low: 3, high: 4 });
    assert.deepEqual((await agents(body, { verify: false, files: ['a', 'b'] })).total, { low: 1, high: 2 });
    assert.deepEqual(
      (
        await agents(
          'const r = await agent("a")\nawait (r.ok ? agent("b") : parallel([() => agent("c"), () => agent("d")]))',
        )
      ).total,
      { low: 2, high: 3 },
    );
  });

  it('an early return the args decide ends the count; one they do not decide makes the rest optional', async () => {
    const body = 'if (!args.files.length) return []\nawait parallel(args.files.map((f) => () => agent(f)))';
    assert.deepEqual((await agents(body, { files: [] })).total, { low: 0, high: 0 });
    assert.deepEqual((await agents(body, { files: ['a', 'b'] })).total, { low: 2, high: 2 });
    assert.deepEqual((await agents('const r = await agent("a")\nif (!r) return\nawait agent("b")')).total, {
      low: 1,
      high: 2,
    });
  });

  it('a let reassigned only where the args rule it out keeps its value (the review.js idiom)', async () => {
    const body = [
      "let files = typeof args === 'string' ? args.split(/\\s+/).filter(Boolean) : args",
      'if (!Array.isArray(files) || files.length === 0) { const s = await agent("scope"); files = s ? s.files : [] }',
      'await pipeline(files, (f) => agent(`Review ${f}`))',
    ].join('\n');
    assert.deepEqual(
      (await agents(body, 'a.ts b.ts c.ts')).total,
      { low: 3, high: 3 },
      'no scope agent, three reviewers',
    );
    assert.deepEqual((await agents(body, undefined)).total, { low: 2, high: 11 }, 'the scope agent picks the files');
  });

  it('helpers are followed with their parameters bound to the arguments', async () => {
    const body =
      'async function reviewAll(list, twice) { return parallel(list.map((f) => () => agent(f))).then(() => twice && agent("again")) }\nawait reviewAll(args.files, args.twice)';
    assert.deepEqual((await agents(body, { files: ['a', 'b', 'c'], twice: true })).total, { low: 4, high: 4 });
  });

  it('nested workflow() calls count the child with the args it is given, under the caller phase', async () => {
    const child =
      "export const meta = { name: 'child', description: 'c' }\nphase('Own')\nawait parallel(args.files.map((f) => () => agent(`Check ${f}`)))\nawait workflow('grandchild')";
    const loads: string[] = [];
    const loader: ChildLoader = async (ref) => {
      loads.push(JSON.stringify(ref));
      if ('name' in ref && ref.name === 'child') return { source: child, file: '/ws/child.js' };
      throw new Error(`no workflow named ${JSON.stringify(ref)}`);
    };
    const body =
      "phase('Check')\nawait workflow('child', { files: args.files.slice(0, 2) })\nawait workflow('missing')\nawait agent('sum up', { phase: 'Sum' })";
    const { total, plan } = await agents(body, { files: ['a', 'b', 'c'] }, loader);
    assert.deepEqual(total, { low: 3, high: 3 }, 'two child agents and the summary; a grandchild is not followed');
    assert.deepEqual(
      plan.phases.map((p) => [p.title, p.agents.low]),
      [
        ['Check', 2],
        ['Sum', 1],
      ],
    );
    assert.deepEqual(loads, ['{"name":"child"}', '{"name":"missing"}']);
    assert.ok(
      plan.notes.some((n) => /workflow\("missing"\).*no workflow named/.test(n)),
      plan.notes.join('\n'),
    );
    assert.equal(plan.sites.find((s) => s.site.workflow === 'child')?.site.file, '/ws/child.js');
  });
});
