// `dwf estimate` end to end: the shipped binary in a temp git repository. Text and --json shapes
// before any run (basis "static", no API key needed), then after a real run against the fake
// Messages API the same estimate rests on that run's journal (basis "history").
import assert from 'node:assert/strict';
import { FakeAnthropicServer } from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from './harness';
import type { PlanJson } from '../../../src/core/estimate/planText';

const SCRIPT = `export const meta = { name: 'est-e2e', description: 'review files, then sum up', phases: [{ title: 'Review' }, { title: 'Sum' }] }
phase('Review')
const reviews = await parallel(args.files.map((f) => () => agent(\`Review \${f}\`, { label: \`review:\${f}\` })))
phase('Sum')
return await agent('Sum up: ' + reviews.join(' '), { label: 'sum', model: 'haiku' })
`;
const FILES = JSON.stringify({ files: Array.from({ length: 40 }, (_, i) => `f${i}.ts`) });

describe('cli e2e: dwf estimate', function () {
  this.timeout(60_000);
  let repo: Repo;
  before(() => ensureBuilt());
  beforeEach(() => {
    repo = tempRepo();
    repo.write('wf.js', SCRIPT);
  });
  afterEach(() => repo.cleanup());

  it('prints the priced plan: agents from the args, per phase and per model, and its basis', async () => {
    const exit = await runDwf(repo, ['estimate', 'wf.js', '--args', FILES], { env: { ANTHROPIC_API_KEY: undefined } });
    assert.equal(exit.code, 0, describeExit(exit));
    const out = exit.stdout;
    assert.match(out, /^Plan for "est-e2e" \(wf\.js\)\n/);
    assert.match(out, /^Agents: 41$/m, 'a parallel over 40 files plus the summary');
    assert.match(out, /^Cost: \$\d+\.\d+–\$\d+\.\d+$/m);
    assert.match(out, /^ {2}Review: 40 agents, \$/m);
    assert.match(out, /^ {2}Sum: 1 agent, \$/m);
    assert.match(out, /^ {2}claude-sonnet-5-5: 40 agents, \$/m);
    assert.match(out, /^ {2}claude-haiku-5-5: 1 agent, \$/m);
    assert.match(out, /^Basis \(static\): .*default tokens per agent.*list prices/m);
    assert.equal(exit.stderr, '');
  });

  it("prices an agentType's agents at the model its definition names (project file, built-in Explore)", async () => {
    repo.write('.claude/agents/auditor.md', '---\nname: auditor\ndescription: audits\nmodel: opus\n---\nAudit.\n');
    repo.write(
      'types.js',
      `export const meta = { name: 'types', description: 'd' }
await agent('find', { agentType: 'Explore' })
await agent('audit', { agentType: 'auditor' })
`,
    );
    const exit = await runDwf(repo, ['estimate', 'types.js'], { env: { ANTHROPIC_API_KEY: undefined } });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.match(exit.stdout, /^ {2}claude-haiku-5-5: 1 agent, \$/m);
    assert.match(exit.stdout, /^ {2}claude-opus-5-5: 1 agent, \$/m);
    assert.doesNotMatch(exit.stdout, /claude-sonnet-5-5/);
  });

  it('--json prints exactly one object of the documented shape', async () => {
    const exit = await runDwf(repo, ['estimate', 'wf.js', '--args', FILES, '--json']);
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(exit.stdout.trim().split('\n').length, 1);
    const plan = JSON.parse(exit.stdout) as PlanJson;
    assert.deepEqual(Object.keys(plan), ['agents', 'tokens', 'costUsd', 'phases', 'basis']);
    assert.deepEqual(plan.agents, { low: 41, high: 41 });
    assert.ok(plan.tokens.input.low > 0 && plan.tokens.input.low < plan.tokens.input.high);
    assert.ok(plan.tokens.output.low > 0 && plan.costUsd.low > 0 && plan.costUsd.low < plan.costUsd.high);
    assert.deepEqual(
      plan.phases.map((p) => [p.title, p.agents]),
      [
        ['Review', { low: 40, high: 40 }],
        ['Sum', { low: 1, high: 1 }],
      ],
    );
    assert.equal(plan.basis, 'static');
  });

  it('after a run of the same workflow the estimate rests on its journal (basis history)', async () => {
    const server = await FakeAnthropicServer.start({ apiKey: 'test' });
    try {
      const run = await runDwf(
        repo,
        ['run', 'wf.js', '--args', JSON.stringify({ files: ['a.ts', 'b.ts'] }), '--json'],
        { server },
      );
      assert.equal(run.code, 0, describeExit(run));
      const s = summaryOf(run);
      const exit = await runDwf(repo, [
        'estimate',
        'wf.js',
        '--args',
        JSON.stringify({ files: ['a.ts', 'b.ts'] }),
        '--json',
      ]);
      assert.equal(exit.code, 0, describeExit(exit));
      const plan = JSON.parse(exit.stdout) as PlanJson;
      assert.equal(plan.basis, 'history');
      assert.deepEqual(plan.agents, { low: 3, high: 3 });
      // The fake answers the same prompts with the same token counts: history reproduces the run.
      const actual = s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite;
      assert.ok(Math.abs(plan.tokens.input.low - actual) <= actual * 0.3, `${plan.tokens.input.low} vs ${actual}`);
      assert.equal(plan.tokens.output.low, s.tokens.output);
      const text = await runDwf(repo, ['estimate', 'wf.js', '--args', FILES]);
      assert.match(
        text.stdout,
        /^Basis \(history\): .*tokens per agent from 1 earlier run of "est-e2e" in this workspace \(3 agents; 2 of 2 call sites matched/m,
      );
    } finally {
      await server.close();
    }
  });

  it('an unknown workflow name is rejected with what exists (exit 2)', async () => {
    const exit = await runDwf(repo, ['estimate', 'nope']);
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /No file and no saved workflow named "nope"/);
  });
});
