// `dwf resume`: the stored script and args are reused, finished agents are replayed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { cli, lastJson, sandbox, type Sandbox } from './helpers';

const ECHO_ARGS = `export const meta = { name: 'e', description: 'd' }
const n = typeof args === 'string' ? JSON.parse(args).n : args.n
const r = await parallel(Array.from({ length: n }, (_, i) => () => agent('item ' + i)))
return { args, r }
`;

describe('cli: dwf resume', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('reuses the stored args and replays every agent: no runner call on the second run', async () => {
    const file = box.write('e.js', ECHO_ARGS);
    const first = cli(box);
    assert.equal(await first.run('run', 'e.js', '--args', '{"n":3}', '--json'), 0, first.stderr.text);
    const s1 = lastJson(first);
    // The stored copy runs, not today's file.
    fs.writeFileSync(file, 'this is not a script any more');
    const second = cli(box);
    assert.equal(await second.run('resume', String(s1.runId), '--json'), 0, second.stderr.text);
    assert.equal(second.runner.calls.length, 0);
    const s2 = lastJson(second);
    assert.equal(s2.runId, s1.runId);
    assert.deepEqual(s2.result, s1.result);
    assert.deepEqual((s2.result as { args: unknown }).args, { n: 3 });
    assert.deepEqual(s2.agents, { total: 3, done: 0, cached: 3, failed: 0, skipped: 0 });
    assert.deepEqual(s2.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, 'replayed agents cost nothing now');
    assert.match(second.stderr.text, /cached +3 agents/);
  });

  it('--args replaces the stored args; unchanged agents are still replayed', async () => {
    box.write('e.js', ECHO_ARGS);
    const first = cli(box);
    assert.equal(await first.run('run', 'e.js', '--args', '{"n":2}', '--json'), 0);
    const runId = String(lastJson(first).runId);
    const second = cli(box);
    assert.equal(await second.run('resume', runId, '--args', '{"n":3}', '--json'), 0, second.stderr.text);
    assert.deepEqual(second.runner.calls.map((c) => c.prompt), ['item 2']);
    assert.deepEqual((lastJson(second).result as { args: unknown }).args, { n: 3 });
  });

  it('rejects malformed and unknown run ids (exit 2)', async () => {
    const c = cli(box);
    assert.equal(await c.run('resume', '../etc'), 2);
    assert.match(c.stderr.text, /Invalid run id/);
    assert.equal(await c.run('resume', 'wf_000000000000'), 2);
    assert.match(c.stderr.text, /No run wf_000000000000/);
    assert.equal(c.contexts.length, 0);
  });

  it('needs the API key too', async () => {
    box.write('e.js', ECHO_ARGS);
    const first = cli(box);
    assert.equal(await first.run('run', 'e.js', '--args', '{"n":1}', '--json'), 0);
    const c = cli(box, { env: { ANTHROPIC_API_KEY: '' } });
    assert.equal(await c.run('resume', String(lastJson(first).runId)), 2);
    assert.match(c.stderr.text, /ANTHROPIC_API_KEY/);
  });
});
