// `dwf run` keeps the run's priced plan with the run (issue 11 item 5): made after the start, in
// run.json for `dwf resume` and the editor, headless or on a terminal.
import assert from 'node:assert/strict';
import { cli, lastJson, sandbox, TWO_AGENTS, type Sandbox } from './helpers';
import { FileRunStore } from '../../../src/core/journal/runStore';
import * as path from 'node:path';

describe('cli: dwf run keeps the priced plan', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('run.json of a headless run holds the plan of its two agents', async () => {
    box.write('two.js', TWO_AGENTS);
    // Agents that take a moment, as real ones do: the plan is made meanwhile.
    const c = cli(box, { defaultDelayMs: 200 });
    assert.equal(await c.run('run', 'two.js', '--json'), 0, c.stderr.text);
    const runId = String(lastJson(c).runId);
    const record = new FileRunStore(path.join(box.root, '.claude', 'workflow-runs')).readRecord(runId);
    assert.deepEqual(record?.plan?.agents, { low: 2, high: 2 });
    assert.ok((record?.plan?.costUsd.high ?? 0) > 0, 'priced at list prices');
  });
});
