// Ctrl+C stops the run cleanly: exit 130, the resume command printed, finished work kept.
import assert from 'node:assert/strict';
import { cli, lastJson, sandbox, type Sandbox } from './helpers';

const HELD = `export const meta = { name: 'held', description: 'd' }
const a = await agent('fast')
const b = await agent('slow')
return [a, b]
`;

describe('cli: stopping a run', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('SIGINT while an agent is held stops the run: exit 130 and `dwf resume <runId>`', async () => {
    box.write('held.js', HELD);
    const c = cli(box, { rules: [{ match: 'slow', hold: true }] });
    const exit = c.run('run', 'held.js', '--json');
    await c.runner.waitForCalls(2);
    assert.equal(c.runner.heldCount, 1);
    c.signals.get('SIGINT')!();
    assert.equal(await exit, 130);
    const s = lastJson(c);
    assert.equal(s.status, 'stopped');
    assert.deepEqual(s.agents, { total: 2, done: 1, cached: 0, failed: 0, skipped: 0 });
    assert.ok(c.stderr.text.includes(`dwf resume ${String(s.runId)}`), c.stderr.text);
    assert.equal(c.signals.size, 0, 'signal handlers are removed after the run');

    // The resume replays 'fast' and runs only 'slow'.
    const r = cli(box);
    assert.equal(await r.run('resume', String(s.runId), '--json'), 0, r.stderr.text);
    assert.deepEqual(
      r.runner.calls.map((q) => q.prompt),
      ['slow'],
    );
    assert.deepEqual(lastJson(r).result, ['echo:fast', 'echo:slow']);
    assert.deepEqual(lastJson(r).agents, { total: 2, done: 1, cached: 1, failed: 0, skipped: 0 });
  });

  it('SIGTERM stops the run the same way', async () => {
    box.write('held.js', HELD);
    const c = cli(box, { rules: [{ match: 'slow', hold: true }] });
    const exit = c.run('run', 'held.js');
    await c.runner.waitForCalls(2);
    c.signals.get('SIGTERM')!();
    assert.equal(await exit, 130);
    assert.match(c.stderr.text, /dwf resume wf_/);
    assert.equal(c.stdout.text, '', 'no result on stdout');
  });
});
