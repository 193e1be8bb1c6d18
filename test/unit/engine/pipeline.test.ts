// pipeline(items, ...stages): no barrier between stages, (prev, item, index), null
// short-circuits while undefined passes, failing stages become null with a log line, argument
// errors (spec §3.3; Appendix B row 7).
import assert from 'node:assert/strict';
import { createHarness, logLines, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';

const caught = (expr: string) => `
  try { await ${expr}; return 'no error' } catch (e) { return [e.name, e.message] }
`;

describe('engine: pipeline()', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('has no barrier between stages: item 0 reaches stage 2 while item 1 is still in stage 1', async () => {
    h.runner.rule({ match: /^find:b$/, hold: true });
    const run = h.start(
      `
      return await pipeline(['a', 'b'],
        x => agent('find:' + x),
        (found, item) => agent('verify:' + item + ' ' + found))
    `,
      { concurrency: 4 },
    );
    await h.runner.waitForCalls(3);
    const prompts = h.runner.calls.map((c) => c.prompt);
    assert.deepEqual(prompts.slice().sort(), ['find:a', 'find:b', 'verify:a echo:find:a']);
    assert.equal(h.runner.heldCount, 1, 'find:b is still held in stage 1');
    assert.equal(h.runner.release(/^find:b$/), 1);
    const res = await run.done;
    assert.equal(res.status, 'completed');
    assert.deepEqual(res.result, ['echo:verify:a echo:find:a', 'echo:verify:b echo:find:b']);
  });

  it('calls stages with (prevResult, originalItem, index); the first stage gets the item as prev', async () => {
    const r = await h.run(`
      return await pipeline(['x', 'y'],
        (prev, item, i) => ({ s: 1, prev, item, i }),
        (prev, item, i) => ({ s: 2, prev, item, i }))
    `);
    assert.deepEqual(r.result, [
      { s: 2, prev: { s: 1, prev: 'x', item: 'x', i: 0 }, item: 'x', i: 0 },
      { s: 2, prev: { s: 1, prev: 'y', item: 'y', i: 1 }, item: 'y', i: 1 },
    ]);
  });

  it('keeps item order regardless of completion order', async () => {
    h.runner.rule({ match: /^q\d$/, delayMs: (req) => (3 - Number(req.prompt[1])) * 20 });
    const r = await h.run(`return await pipeline([0, 1, 2], i => agent('q' + i), (r, i) => r + '/' + i)`, {
      concurrency: 3,
    });
    assert.deepEqual(r.result, ['echo:q0/0', 'echo:q1/1', 'echo:q2/2']);
  });

  it('short-circuits on exactly null (item or stage result), but passes undefined on', async () => {
    const r = await h.run(`
      const seen = []
      const out = await pipeline([1, null, 3, 4],
        (x) => { seen.push('s1:' + x); return x === 3 ? null : x === 4 ? undefined : x * 10 },
        (prev, item) => { seen.push('s2:' + item + '=' + (prev === undefined ? 'undefined' : prev)); return prev === undefined ? 'was undefined' : prev + 1 })
      return { out, seen: seen.sort() }
    `);
    assert.deepEqual(r.result, {
      out: [11, null, null, 'was undefined'],
      seen: ['s1:1', 's1:3', 's1:4', 's2:1=10', 's2:4=undefined'],
    });
  });

  it('short-circuits on a null agent: later stages are not run', async () => {
    h.runner.rule({ match: 'find:bad', outcome: { kind: 'null', reason: 'API error' } });
    const r = await h.run(`
      return await pipeline(['good', 'bad'], x => agent('find:' + x), (r, x) => agent('verify:' + x))
    `);
    assert.deepEqual(r.result, ['echo:verify:good', null]);
    assert.ok(!h.runner.calls.some((c) => c.prompt === 'verify:bad'));
    assert.ok(!logLines(r.events).some((l) => l.startsWith('pipeline[')));
  });

  it('turns a throwing or rejecting stage into null with `pipeline[i] failed: <msg>`, never rejecting', async () => {
    h.runner.rule({ match: 'dead', outcome: { kind: 'error', error: { name: 'Error', message: 'agent stalled' } } });
    const r = await h.run(`
      let reachedAfterThrow = false
      const out = await pipeline([0, 1, 2, 3],
        (x) => {
          if (x === 1) throw new Error('stage boom ' + x)
          if (x === 2) return Promise.reject(new Error('rejected ' + x))
          if (x === 3) return agent('dead')
          return x
        },
        (x) => { if (x !== 0) reachedAfterThrow = true; return 'ok ' + x })
      return { out, reachedAfterThrow }
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, { out: ['ok 0', null, null, null], reachedAfterThrow: false });
    const lines = logLines(r.events);
    assert.ok(lines.includes('pipeline[1] failed: stage boom 1'), lines.join('\n'));
    assert.ok(lines.includes('pipeline[2] failed: rejected 2'));
    assert.ok(lines.includes('pipeline[3] failed: agent stalled'));
  });

  it('with zero stages returns the awaited items', async () => {
    const r = await h.run(`return await pipeline([1, Promise.resolve('two'), agent('three')])`);
    assert.deepEqual(r.result, [1, 'two', 'echo:three']);
  });

  it('resolves an empty array to [] without calling stages', async () => {
    const r = await h.run(
      `let called = false; const out = await pipeline([], () => { called = true }); return [out, called]`,
    );
    assert.deepEqual(r.result, [[], false]);
  });

  it('rejects a non-array first argument and non-function stages with the official TypeErrors', async () => {
    const r = await h.run(caught(`pipeline('abc', x => x)`));
    assert.deepEqual(r.result, ['TypeError', MESSAGES.pipelineNotArray]);
    assert.equal(MESSAGES.pipelineNotArray, 'pipeline() expects an array as the first argument');
    const r2 = await h.run(caught(`pipeline([1], x => x, 'not a stage')`));
    assert.deepEqual(r2.result, ['TypeError', MESSAGES.pipelineStage]);
    assert.equal(
      MESSAGES.pipelineStage,
      'pipeline() stages must be functions: pipeline(items, item => ..., result => ...)',
    );
    const r3 = await h.run(caught(`pipeline([1], agent('eager'))`));
    assert.deepEqual(r3.result, ['TypeError', MESSAGES.pipelineStage]);
  });

  it('refuses 4097 items with an explicit error', async () => {
    const r = await h.run(caught(`pipeline(Array.from({ length: 4097 }, (_, i) => i), x => x)`));
    assert.deepEqual(r.result, ['RangeError', MESSAGES.tooManyItems('pipeline', 4097, 4096)]);
  });

  it('runs the documented find → verify shape with a nested parallel per item', async () => {
    h.runner.rule({ match: 'Review', reply: (req) => ({ findings: req.prompt.includes('a.ts') ? ['f1', 'f2'] : [] }) });
    const r = await h.run(`
      const FINDINGS = { type: 'object', properties: { findings: { type: 'array', items: { type: 'string' } } }, required: ['findings'] }
      const res = await pipeline(['a.ts', 'b.ts'],
        f => agent('Review ' + f, { label: 'review:' + f, phase: 'Review', schema: FINDINGS }),
        (r, f) => r && parallel(r.findings.map(x => () => agent('Refute ' + x + ' in ' + f, { phase: 'Verify' }))))
      return res.filter(Boolean).flat().filter(Boolean)
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, ['echo:Refute f1 in a.ts', 'echo:Refute f2 in a.ts']);
  });
});
