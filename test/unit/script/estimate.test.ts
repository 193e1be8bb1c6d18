// The pre-run dialog's static agent estimate (spec §6.4): steps, fan-outs with known and unknown
// sizes, loops with their condition, helpers followed to their call sites, and the summary line.
import assert from 'node:assert/strict';
import { estimateAgents, type EstimateGroup } from '../../../src/core/script/estimate';

const META = "export const meta = { name: 'e', description: 'estimate' }\n";
const estimate = (body: string) => estimateAgents(META + body);
const brief = (groups: EstimateGroup[]) => groups.map((g) => `${g.label}:${g.agents}${g.open ? '+' : ''}@${g.line}`);

describe('script/estimate', () => {
  it('counts sequential agent() calls as steps, with their prompts and lines', () => {
    const e = estimate(
      "const plan = await agent('Plan the work')\nconst x = await agent(`Do ${plan}`, { label: 'do' })\nreturn x",
    );
    assert.deepEqual(brief(e.groups), ['step:1@2', 'step:1@3']);
    assert.deepEqual(
      e.groups.map((g) => g.prompts),
      [['Plan the work'], ['Do ${plan}']],
    );
    assert.equal(e.agents, 2);
    assert.equal(e.open, false);
    assert.equal(e.callSites, 2);
    assert.equal(e.summary, 'about 2 agents: 2 steps');
  });

  it('sizes parallel over array literals, literal .map and consts bound to arrays', () => {
    const e = estimate(
      [
        "await parallel([() => agent('a'), () => agent('b'), () => agent('c')])",
        "await parallel(['x', 'y'].map((t) => () => agent(`Survey ${t}`)))",
        "const topics = ['p', 'q', 'r', 's']",
        'await parallel(topics.map((t) => () => agent(t)))',
        'await parallel(Array.from({ length: 5 }, (_, i) => () => agent(`n${i}`)))',
      ].join('\n'),
    );
    assert.deepEqual(brief(e.groups), ['parallel × 3:3@2', 'parallel × 2:2@3', 'parallel × 4:4@5', 'parallel × 5:5@6']);
    assert.equal(e.summary, 'about 14 agents: parallel × 3, parallel × 2, parallel × 4, parallel × 5');
  });

  it('leaves data-dependent sizes open and names what they iterate over', () => {
    const e = estimate(
      'const files = args.files\nconst r = await parallel(files.map((f) => () => agent(`Review ${f}`)))\nreturn r',
    );
    assert.deepEqual(brief(e.groups), ['parallel × N:1+@3']);
    assert.equal(e.groups[0].over, 'files');
    assert.equal(e.summary, 'about 1+ agents: parallel × N');
  });

  it('multiplies pipeline stages by the items and nests fan-outs', () => {
    const e = estimate(
      [
        "await pipeline(['one', 'two'], (i) => agent(`Draft ${i}`), (d) => agent('Polish'), (p) => parallel([() => agent('v1'), () => agent('v2')]))",
        'await pipeline(args, (f) => agent(f))',
      ].join('\n'),
    );
    assert.deepEqual(brief(e.groups), ['pipeline × 2:8@2', 'pipeline × N:1+@3']);
    assert.deepEqual(e.groups[0].prompts, ['Draft ${i}', 'Polish', 'v1'], 'the first three prompts');
  });

  it('shows loops with their condition; counted for-loops are multiplied', () => {
    const e = estimate(
      [
        'for (let i = 0; i < 3; i++) await agent(`round ${i}`)',
        'let round = 0',
        'while (round < args.max) { await parallel([() => agent(`hunt ${round}`), () => agent(`fix ${round}`)]); round++ }',
        'for (const f of args.files) await agent(f)',
        "for (const f of ['a', 'b']) await agent(f)",
        'do { await agent("again") } while (budget.remaining() > 1000)',
      ].join('\n'),
    );
    assert.deepEqual(brief(e.groups), [
      'loop × 3 (i < 3):3@2',
      'loop while (round < args.max):2+@4',
      'loop for (const f of args.files):1+@5',
      "loop × 2 (const f of ['a', 'b']):2@6",
      'loop while (budget.remaining() > 1000):1+@7',
    ]);
    assert.equal(e.agents, 9);
    assert.equal(e.open, true);
  });

  it('follows helper functions to each call and counts .map callbacks given by name', () => {
    const e = estimate(
      [
        'async function review(f) { const a = await agent(`Review ${f}`); return agent(`Verify ${f}`) }',
        "await review('a')",
        'const check = (x) => agent(`Check ${x}`)',
        "await Promise.all(['p', 'q', 'r'].map(check))",
        "await review('b')",
      ].join('\n'),
    );
    assert.deepEqual(brief(e.groups), ['step:1@2', 'step:1@2', 'map × 3:3@5', 'step:1@2', 'step:1@2']);
    assert.equal(e.agents, 7);
    assert.equal(e.callSites, 3);
  });

  it('stops at recursion and still counts agents it cannot reach once each', () => {
    const e = estimate(
      [
        'async function dig(n) { const r = await agent(`dig ${n}`); return r ? dig(n + 1) : null }',
        'await dig(0)',
        'const tools = { ask: (q) => agent(q) }',
        'await tools.ask("unreached by the scan")',
      ].join('\n'),
    );
    assert.deepEqual(brief(e.groups), ['step:1@2', 'step:1@4']);
    assert.deepEqual(e.groups[1].prompts, ['q']);
  });

  it('a thunk list built apart from its parallel is counted where it is built', () => {
    const e = estimate(
      'const thunks = args.map((a) => () => agent(a))\nconst out = await parallel(thunks)\nreturn out',
    );
    assert.deepEqual(brief(e.groups), ['map × N:1+@2']);
  });

  it('names nested workflows and keeps the count open', () => {
    const e = estimate("await workflow('review', args)");
    assert.deepEqual(brief(e.groups), ['workflow review:0+@2']);
    assert.equal(e.summary, 'an unknown number of agents: workflow review');
  });

  it('says so when there are no agents', () => {
    const e = estimate("log('nothing to do')\nreturn 1");
    assert.deepEqual(e.groups, []);
    assert.equal(e.summary, 'no agents (the script has no agent() call)');
  });

  it('throws on a syntax error (the caller parsed the script first)', () => {
    assert.throws(() => estimate('const x: number = 1'), SyntaxError);
  });
});
