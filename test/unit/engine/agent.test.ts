// agent(prompt, opts): results, null outcomes, the errors it throws, labels, prompt coercion,
// and that it is a real Promise whose concurrency gate holds however calls are issued
// (spec §3.1, §4.1, §4.3; Appendix B row 5).
import assert from 'node:assert/strict';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';

/** Script snippet: runs `expr` and returns [name, message] of what it rejected with. */
const caught = (expr: string) => `
  try { await ${expr}; return 'no error' } catch (e) { return [e.name, e.message] }
`;

const SCHEMA = { type: 'object', properties: { ok: { type: 'boolean' }, n: { type: 'number' } }, required: ['ok'] };

describe('engine: agent()', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  describe('results', () => {
    it('resolves to the final text (a string) without a schema', async () => {
      const r = await h.run(`const a = await agent('say hi'); return [typeof a, a]`);
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, ['string', 'echo:say hi']);
      assert.equal(h.runner.calls[0].options.schema, undefined);
    });

    it('resolves to the object when a schema is given, and hands the schema to the runner', async () => {
      h.runner.rule({ match: 'structured', reply: { ok: true, n: 3 } });
      const r = await h.run(`
        const a = await agent('structured please', { schema: ${JSON.stringify(SCHEMA)} })
        return { type: typeof a, ok: a.ok, n: a.n }
      `);
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, { type: 'object', ok: true, n: 3 });
      assert.deepEqual(h.runner.calls[0].options.schema, SCHEMA);
    });

    it('resolves null on a null outcome and logs `[label] failed: <reason>`', async () => {
      h.runner.rule({ match: 'flaky', outcome: { kind: 'null', reason: 'API Error: 529 Overloaded' } });
      const r = await h.run(`
        const a = await agent('flaky one', { label: 'the flaky agent' })
        const b = await agent('fine')
        return { a, b }
      `);
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, { a: null, b: 'echo:fine' });
      assert.ok(logLines(r.events).includes('[the flaky agent] failed: API Error: 529 Overloaded'));
      assert.ok(r.logs.includes('[the flaky agent] failed: API Error: 529 Overloaded'));
      assert.equal(agentEvents(r.events, 'null').length, 1);
      assert.equal(agentEvents(r.events, 'null')[0].label, 'the flaky agent');
      assert.deepEqual(r.agents, { total: 2, done: 1, cached: 0, failed: 1, skipped: 0 });
    });

    it('rejects on an error outcome with its name and message; the script can catch it', async () => {
      h.runner.rule({
        match: 'stall',
        outcome: {
          kind: 'error',
          error: { name: 'Error', message: 'agent stalled on all 6 attempts (no progress for 600000ms each)' },
        },
      });
      const r = await h.run(caught(`agent('stall me')`));
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, ['Error', 'agent stalled on all 6 attempts (no progress for 600000ms each)']);
      assert.equal(agentEvents(r.events, 'failed').length, 1);
    });

    it('an uncaught error outcome fails the run with that message', async () => {
      h.runner.rule({
        match: 'boom',
        outcome: { kind: 'error', error: { name: 'Error', message: 'schema retry cap' } },
      });
      const r = await h.run(`await agent('boom'); return 'unreached'`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.message, 'schema retry cap');
    });
  });

  describe('option errors (the subagent is never started)', () => {
    it('rejects an invalid JSON Schema with the official prefix', async () => {
      const r = await h.run(
        caught(`agent('x', { schema: { type: 'object', properties: { a: { type: 'no-such-type' } } } })`),
      );
      const [name, message] = r.result as [string, string];
      assert.equal(name, 'Error');
      assert.ok(message.startsWith(MESSAGES.invalidSchema('')), message);
      assert.equal(h.runner.calls.length, 0);
    });

    it('rejects a schema whose root is not an object schema as invalid', async () => {
      const r = await h.run(caught(`agent('x', { schema: { type: 'array', items: {} } })`));
      assert.deepEqual(r.result, [
        'Error',
        MESSAGES.invalidSchema("the root must be an object schema ({ type: 'object', … })"),
      ]);
      const r2 = await h.run(caught(`agent('x', { schema: 'an object please' })`));
      assert.deepEqual(r2.result, ['Error', MESSAGES.invalidSchema('the schema must be a JSON Schema object')]);
      assert.equal(h.runner.calls.length, 0);
    });

    it('accepts an object root without properties, as the official preflight does', async () => {
      h.runner.rule({ match: 'open', outcome: { kind: 'done', result: { anything: 1 } } });
      const r = await h.run(`return await agent('open', { schema: { type: 'object', additionalProperties: true } })`);
      assert.equal(r.status, 'completed');
      assert.deepEqual(r.result, { anything: 1 });
      assert.equal(h.runner.calls.length, 1);
      const bad = await h.run(caught(`agent('x', { schema: { type: 'object', properties: ['a'] } })`));
      assert.match(
        (bad.result as string[])[1],
        /^agent\(\{schema\}\) received an invalid JSON Schema: .*properties must be object/,
      );
    });

    it('rejects required ⊄ properties as an unusable schema', async () => {
      const r = await h.run(
        caught(
          `agent('x', { schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] } })`,
        ),
      );
      assert.deepEqual(r.result, [
        'Error',
        MESSAGES.unusableSchema('required lists b, which properties does not define'),
      ]);
      const [, message] = r.result as [string, string];
      assert.ok(message.startsWith('agent({schema}) received an unusable JSON Schema — '));
      assert.ok(message.endsWith('The subagent was not started — fix the schema and call agent() again.'));
      assert.equal(h.runner.calls.length, 0);
    });

    it('rejects a bad effort with a TypeError and accepts every documented level', async () => {
      const r = await h.run(caught(`agent('x', { effort: 'extreme' })`));
      assert.deepEqual(r.result, [
        'TypeError',
        `agent() option 'effort' must be one of low, medium, high, xhigh, max; got "extreme"`,
      ]);
      assert.equal(h.runner.calls.length, 0);
      const ok = await h.run(
        `return await parallel(['low', 'medium', 'high', 'xhigh', 'max'].map(e => () => agent('e ' + e, { effort: e })))`,
      );
      assert.equal(ok.status, 'completed');
      assert.deepEqual(h.runner.calls.map((c) => c.options.effort).sort(), ['high', 'low', 'max', 'medium', 'xhigh']);
    });

    it("rejects isolation: 'remote' when the runner has no remote engine; 'worktree' is passed on", async () => {
      const r = await h.run(caught(`agent('x', { isolation: 'remote' })`));
      assert.deepEqual(r.result, ['Error', MESSAGES.isolationRemote]);
      assert.equal(h.runner.calls.length, 0);
      await h.run(`return await agent('wt', { isolation: 'worktree' })`);
      assert.equal(h.runner.calls[0].options.isolation, 'worktree');
    });

    it('refuses malformed disallowedTools entries rather than running un-narrowed', async () => {
      for (const bad of ['bash', 'Read*', 'mcp__*x']) {
        const r = await h.run(caught(`agent('x', { disallowedTools: ['Read', ${JSON.stringify(bad)}] })`));
        assert.deepEqual(r.result, ['Error', MESSAGES.badDisallowedTools(bad)], bad);
      }
      assert.equal(h.runner.calls.length, 0);
      const ok = await h.run(
        `return await agent('narrow', { disallowedTools: ['Bash', 'WebFetch', 'mcp__github', 'mcp__github__create_issue', 'mcp__*'] })`,
      );
      assert.equal(ok.status, 'completed');
      assert.deepEqual(h.runner.calls[0].options.disallowedTools, [
        'Bash',
        'WebFetch',
        'mcp__github',
        'mcp__github__create_issue',
        'mcp__*',
      ]);
    });

    it('rejects an unknown agentType naming the available ones; a known one reaches the runner', async () => {
      const t = createHarness({ agentTypes: ['reviewer'] });
      try {
        const r = await t.run(caught(`agent('x', { agentType: 'auditor' })`));
        assert.deepEqual(r.result, ['Error', MESSAGES.unknownAgentType('auditor', ['reviewer'])]);
        assert.equal(
          MESSAGES.unknownAgentType('auditor', ['reviewer']),
          "agent({agentType}): agent type 'auditor' not found. Available agents: reviewer",
        );
        assert.equal(t.runner.calls.length, 0);
        const ok = await t.run(`return await agent('review it', { agentType: 'reviewer' })`);
        assert.equal(ok.result, 'echo:review it');
        assert.equal(t.runner.calls[0].options.agentType, 'reviewer');
      } finally {
        t.cleanup();
      }
    });

    it('counts a refused agent as failed, and an uncaught refusal fails the run', async () => {
      const r = await h.run(`await agent('x', { effort: 'huge' })`);
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, 'TypeError');
      assert.match(r.error!.message, /option 'effort'/);
      assert.equal(r.agents.failed, 1);
    });
  });

  describe('labels and prompts', () => {
    it('defaults the label to the first 60 characters of the prompt', async () => {
      const prompt = 'x'.repeat(100);
      const r = await h.run(`return await agent(${JSON.stringify(prompt)})`);
      const e = agentEvents(r.events, 'done')[0];
      assert.equal(e.label, 'x'.repeat(60));
      assert.equal(h.runner.calls[0].label, 'x'.repeat(60));
      assert.equal(h.runner.calls[0].prompt, prompt);
    });

    it('collapses whitespace in the default label (no runs, no newlines, ≤ 60 chars)', async () => {
      const prompt =
        'Review\n\n   the   file\tsrc/app.ts  for  bugs. Report every finding with a line number and a fix.';
      const r = await h.run(`return await agent(${JSON.stringify(prompt)})`);
      const label = agentEvents(r.events, 'done')[0].label;
      assert.ok(label.startsWith('Review the file src/app.ts for bugs.'), label);
      assert.ok(!/\s\s|\n|\t/.test(label), label);
      assert.ok(label.length <= 60);
      assert.ok(prompt.replace(/\s+/g, ' ').startsWith(label));
    });

    it('uses opts.label with whitespace collapsed; the label is not part of the prompt', async () => {
      const r = await h.run(`return await agent('the prompt', { label: '  review:\\n  src/a.ts  ' })`);
      assert.equal(agentEvents(r.events, 'done')[0].label, 'review: src/a.ts');
      assert.equal(h.runner.calls[0].prompt, 'the prompt');
    });

    it('coerces prompts: object → "[object]", function → "[function]", primitives via String', async () => {
      const r = await h.run(`
        return await parallel([
          () => agent({ task: 'x' }),
          () => agent(() => 'x'),
          () => agent(['a', 'b']),
          () => agent(42),
          () => agent(null),
          () => agent(undefined),
        ])
      `);
      assert.equal(r.status, 'completed');
      const prompts = h.runner.calls
        .slice()
        .sort((a, b) => a.index - b.index)
        .map((c) => c.prompt);
      assert.deepEqual(prompts, ['[object]', '[function]', '[object]', '42', 'null', 'undefined']);
      assert.deepEqual(r.result, [
        'echo:[object]',
        'echo:[function]',
        'echo:[object]',
        'echo:42',
        'echo:null',
        'echo:undefined',
      ]);
    });

    it('assigns indices in call order', async () => {
      await h.run(`return await parallel([0, 1, 2, 3].map(i => () => agent('i' + i)))`);
      const byIndex = h.runner.calls.slice().sort((a, b) => a.index - b.index);
      assert.deepEqual(
        byIndex.map((c) => c.prompt),
        ['i0', 'i1', 'i2', 'i3'],
      );
      assert.deepEqual(
        byIndex.map((c) => c.index),
        [0, 1, 2, 3],
      );
    });
  });

  describe('a real Promise', () => {
    it('is an instance of Promise with working .then/.catch/.finally', async () => {
      h.runner.rule({ match: 'bad', outcome: { kind: 'error', error: { name: 'Error', message: 'nope' } } });
      const r = await h.run(`
        const p = agent('a')
        const isPromise = p instanceof Promise
        const chained = await p.then(v => v + '!')
        const caughtMsg = await agent('bad').catch(e => 'caught ' + e.message)
        let fin = false
        await agent('c').finally(() => { fin = true })
        const viaNew = await new Promise(resolve => { agent('d').then(resolve) })
        const resolved = await Promise.resolve(agent('e'))
        return { isPromise, chained, caughtMsg, fin, viaNew, resolved }
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, {
        isPromise: true,
        chained: 'echo:a!',
        caughtMsg: 'caught nope',
        fin: true,
        viaNew: 'echo:d',
        resolved: 'echo:e',
      });
    });

    it('works with Promise.all(items.map(x => agent(x))) and Promise.allSettled/race', async () => {
      const r = await h.run(`
        const items = ['a', 'b', 'c', 'd']
        const all = await Promise.all(items.map(x => agent('item ' + x)))
        const settled = await Promise.allSettled([agent('s1'), agent('s2', { effort: 'bogus' })])
        const first = await Promise.race([agent('r1')])
        return { all, settled: settled.map(s => s.status), first }
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, {
        all: ['echo:item a', 'echo:item b', 'echo:item c', 'echo:item d'],
        settled: ['fulfilled', 'rejected'],
        first: 'echo:r1',
      });
    });

    it('works under a hand-written semaphore', async () => {
      h.runner.rule({ match: 'sem', delayMs: 10 });
      const r = await h.run(`
        let active = 0, peak = 0
        const waiters = []
        async function withSlot(fn) {
          while (active >= 2) await new Promise(resolve => waiters.push(resolve))
          active++
          peak = Math.max(peak, active)
          try { return await fn() } finally { active--; const next = waiters.shift(); if (next) next() }
        }
        const out = await Promise.all([1, 2, 3, 4, 5, 6].map(i => withSlot(() => agent('sem ' + i))))
        return { out, peak }
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, { out: [1, 2, 3, 4, 5, 6].map((i) => `echo:sem ${i}`), peak: 2 });
      assert.ok(h.runner.maxInFlight <= 2);
    });

    it('holds the concurrency gate for raw Promise.all', async () => {
      h.runner.rule({ match: 'slow', delayMs: 15 });
      const r = await h.run(`return await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(i => agent('slow ' + i)))`, {
        concurrency: 2,
      });
      assert.equal(r.status, 'completed');
      assert.equal((r.result as string[]).length, 8);
      assert.equal(h.runner.calls.length, 8);
      assert.equal(h.runner.maxInFlight, 2);
    });

    it('holds the concurrency gate for un-awaited agent() calls collected later', async () => {
      h.runner.rule({ match: 'slow', delayMs: 10 });
      const r = await h.run(
        `
        const ps = []
        for (let i = 0; i < 6; i++) ps.push(agent('slow ' + i))
        const out = []
        for (const p of ps) out.push(await p)
        return out
      `,
        { concurrency: 3 },
      );
      assert.equal(r.status, 'completed');
      assert.equal((r.result as string[])[5], 'echo:slow 5');
      assert.equal(h.runner.maxInFlight, 3);
    });
  });
});
