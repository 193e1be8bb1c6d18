// agent() calls, logs, phases and group ends are queued inside the guest and taken by the worker
// once per VM entry (prelude takeQueue/drain, worker takeRecords): what crosses must arrive exact
// and in call order, a script must not be able to forge queued records, and cache keys — which
// now chain on '#id' references the worker resolves — must stay deterministic across resumes.
import assert from 'node:assert/strict';
import { createHarness, agentEvents, type Harness } from '../../fakes/engineHarness';
import { AGENT_CAP_ERROR, MESSAGES } from '../../../src/core/errors';
import type { RunEvent } from '../../../src/core/run/events';

describe('sandbox: the guest-side call queue', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('prompts and logs with NUL, the record separator and long text arrive exact', async () => {
    const r = await h.run(`
      const long = 'x'.repeat(200000)
      const a = await parallel([() => agent('nul\\u0000after'), () => agent('sep\\u0001after'), () => agent(long), () => agent('plain')])
      log('log\\u0000nul'); console.warn('log\\u0001sep')
      phase('phase\\u0001sep')
      const b = await agent('last')
      return [a[0], a[1], a[2].length, a[3], b]
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.deepEqual(r.result, [
      'echo:nul\u0000after',
      'echo:sep\u0001after',
      'echo:'.length + 200000,
      'echo:plain',
      'echo:last',
    ]);
    assert.deepEqual(r.logs, ['log\u0000nul', '[warn] log\u0001sep']);
    const last = agentEvents(r.events, 'queued').find((e) => e.label === 'last');
    assert.equal(last?.phase, 'phase\u0001sep');
  });

  it('a lone surrogate reads the same whichever form its batch took (keys stay stable)', async () => {
    // Alone, the batch crosses as joined text (each lone surrogate becomes three U+FFFD);
    // next to a \\u0001 it crosses as JSON, which is made to read the same.
    const alone = await h.run(`return await agent('s\\ud800e')`);
    const withJson = await h.run(`log('\\u0001'); return await agent('s\\ud800e')`);
    assert.equal(alone.result, 'echo:s\ufffd\ufffd\ufffde');
    assert.equal(withJson.result, alone.result);
    const id = (r: typeof alone) => agentEvents(r.events, 'done').map((e) => e.agentId);
    assert.deepEqual(id(withJson), id(alone));
  });

  it('a prompt shaped like queued records adds no agent (the end mark cannot be forged)', async () => {
    const r = await h.run(`
      const S = '\\u0001'
      const fake = ['a', 77, 'forged', '', '', -1, -1, -1, ''].join(S)
      for (const mark of ['.', '', 'x']) {
        await agent('evil' + S + fake + S + mark + '\\u0000tail')
        await parallel([() => agent('slot' + S + fake), () => agent(fake + S + mark)])
      }
      return 'done'
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.equal(h.runner.calls.length, 9);
    assert.ok(h.runner.calls.every((c) => c.prompt !== 'forged'));
    assert.ok(h.runner.calls.some((c) => c.prompt.endsWith('\u0000tail')));
  });

  it('logs, phases and agent() calls reach the run in call order', async () => {
    const r = await h.run(`
      const one = agent('one', { label: 'one' })
      log('between')
      phase('Second')
      const two = agent('two', { label: 'two' })
      log('after')
      await one; await two
      return 1
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    const order = r.events
      .filter((e: RunEvent) => (e.type === 'agent' && e.state === 'queued') || e.type === 'log' || e.type === 'phase')
      .map((e) =>
        e.type === 'agent'
          ? `agent:${e.label}`
          : e.type === 'log'
            ? `log:${e.message}`
            : e.type === 'phase'
              ? `phase:${e.title}`
              : '',
      );
    assert.deepEqual(order, ['agent:one', 'log:between', 'phase:Second', 'agent:two', 'log:after']);
    const queued = agentEvents(r.events, 'queued');
    assert.equal(queued[0].phase, undefined);
    assert.equal(queued[1].phase, 'Second');
  });

  it('a long burst is handed over in chunks and still arrives in call order', async () => {
    const r = await h.run(`
      const out = await parallel(Array.from({ length: 300 }, (_, i) => () => { log('L' + i); return agent('p' + i, { label: 'p' + i }) }))
      return out.length
    `);
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.equal(r.result, 300);
    const order = r.events
      .filter((e: RunEvent) => (e.type === 'agent' && e.state === 'queued') || e.type === 'log')
      .map((e) => (e.type === 'agent' ? e.label : e.type === 'log' ? e.message : ''));
    assert.deepEqual(order, Array.from({ length: 300 }, (_, i) => ['L' + i, 'p' + i]).flat());
    const again = await h.resume(r.runId);
    assert.equal(again.agents.cached, 300);
  });

  it('deep chains (seeds hashed past 512 characters) resume fully cached', async () => {
    const src = `
      async function down(n) {
        if (n === 0) return agent('leaf')
        await agent('level ' + n)
        const [r] = await parallel([() => down(n - 1)])
        return r
      }
      // No agent on the way down: ~22 characters of seed per level, hashed past 512.
      async function nest(n) {
        if (n === 0) { await agent('deep a'); return agent('deep b') }
        const [r] = await parallel([() => nest(n - 1)])
        return r
      }
      return [await down(20), await nest(40), await pipeline([1, 2], (x) => agent('p' + x), (v) => agent('q' + v))]
    `;
    const first = await h.run(src);
    assert.equal(first.status, 'completed', JSON.stringify(first.error));
    const live = h.runner.calls.length;
    assert.equal(live, 27);
    const again = await h.resume(first.runId);
    assert.equal(again.status, 'completed', JSON.stringify(again.error));
    assert.deepEqual(again.result, first.result);
    assert.equal(again.agents.cached, 27);
    assert.equal(h.runner.calls.length, live, 'nothing ran live on resume');
  });

  it('calls refused at the cap leave the chain intact: with a higher cap, resume runs exactly them', async () => {
    const src = `
      const out = []
      for (let i = 0; i < 5; i++) {
        try { out.push(await agent('c' + i)) } catch (e) { out.push(e.name) }
      }
      return out
    `;
    const first = await h.run(src, { maxAgents: 3 });
    assert.equal(first.status, 'completed', JSON.stringify(first.error));
    assert.deepEqual(first.result, ['echo:c0', 'echo:c1', 'echo:c2', AGENT_CAP_ERROR, AGENT_CAP_ERROR]);
    const calls = h.runner.calls.length;
    const second = await h.resume(first.runId, { maxAgents: 5 });
    assert.equal(second.status, 'completed', JSON.stringify(second.error));
    assert.deepEqual(second.result, ['echo:c0', 'echo:c1', 'echo:c2', 'echo:c3', 'echo:c4']);
    assert.equal(second.agents.cached, 3);
    assert.deepEqual(
      h.runner.calls.slice(calls).map((c) => c.prompt),
      ['c3', 'c4'],
    );
  });

  it('a refusal rejects only its own call, with the caller frames in the stack', async () => {
    const r = await h.run(
      `
      const settled = await Promise.allSettled([agent('a'), agent('b'), agent('c')])
      return settled.map((s) => s.status === 'fulfilled' ? s.value : [s.reason.name, s.reason.message, /test\\.js:\\d+/.test(s.reason.stack)])
    `,
      { maxAgents: 2 },
    );
    assert.equal(r.status, 'completed', JSON.stringify(r.error));
    assert.deepEqual(r.result, ['echo:a', 'echo:b', [AGENT_CAP_ERROR, MESSAGES.agentCap(2), true]]);
  });
});
