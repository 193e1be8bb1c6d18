// `dwf` when the run's own files cannot be written: the spawned binary ends (no hang) with exit 1
// and an error naming the file and what to do, and `dwf resume` replays what reached the journal.
// The journal case fills the disk with a preloaded fs shim (test/fakes/journalDiskFull.ts); the
// record case makes the real rename fail by putting a folder where run.json goes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byPrompt, echo, type Responder } from '../../fakes/fakeAnthropic';
import { describeExit, dwfFixture, finishedLabels, readJournal, requestsByPrompt, runDwf, summaryOf } from './harness';

const THREE = `export const meta = { name: 'three', description: 'three agents in a row' }
const a = await agent('first', { label: 'a' })
const b = await agent('second', { label: 'b' })
const c = await agent('third', { label: 'c' })
return [a, b, c]
`;
const PRELOAD = path.resolve(__dirname, '../../fakes/journalDiskFull.js');

describe('cli e2e: dwf when the disk is full (spawned binary, fake Messages API)', function () {
  // Generous: a hang shows up as this timeout, never as a slow pass.
  this.timeout(90_000);
  const f = dwfFixture();

  it('the journal fills up mid-run: exit 1 with the journal error; resume replays the journaled agent', async () => {
    f.repo.write('wf.js', THREE);
    // Journal writes: 1 launched, 2 started a, 3 result a, 4 started b — the disk is full from there.
    const env = { NODE_OPTIONS: `--require ${PRELOAD}`, DWF_TEST_JOURNAL_WRITES: '4' };
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server, env });
    assert.equal(exit.code, 1, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'failed');
    assert.equal(s.error?.name, 'RunStorageError');
    const journal = f.repo.journal(s.runId);
    assert.ok(
      s.error?.message.includes(`Could not write the run journal ${journal}: ENOSPC: no space left on device`),
      s.error?.message,
    );
    assert.ok(exit.stderr.includes(`RunStorageError: Could not write the run journal ${journal}`), exit.stderr);
    assert.match(exit.stderr, /Free disk space .*then resume the run/);
    assert.match(exit.stderr, new RegExp(`dwf resume ${s.runId}`));
    assert.doesNotMatch(exit.stderr, /\n\s+at /, 'a message, not a stack trace');
    assert.deepEqual([...finishedLabels(readJournal(journal))], ['a']);
    assert.equal(
      requestsByPrompt(f.server).get('second') ?? 0,
      0,
      'b never reached the model: its start was not journaled',
    );

    const resumed = await runDwf(f.repo, ['resume', s.runId, '--json'], { server: f.server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const r = summaryOf(resumed);
    assert.deepEqual(r.result, ['echo:first', 'echo:second', 'echo:third']);
    assert.equal(r.agents.cached, 1);
    assert.equal(requestsByPrompt(f.server).get('first'), 1, 'the journaled agent was not run again');
  });

  it('run.json cannot be replaced at the end: exit 1 naming run.json; the journal keeps every result', async () => {
    f.repo.write('wf.js', THREE);
    let recordFile = '';
    // While b runs, a folder (with a file in it) takes run.json's place: the final rename fails (EISDIR).
    const blockRecord: Responder = (req) => {
      const runs = path.join(f.repo.root, '.claude', 'workflow-runs');
      const runId = fs.readdirSync(runs).find((n) => n.startsWith('wf_'))!;
      recordFile = path.join(runs, runId, 'run.json');
      fs.rmSync(recordFile);
      fs.mkdirSync(recordFile);
      fs.writeFileSync(path.join(recordFile, 'keep'), '');
      return echo(req);
    };
    f.server.respond(byPrompt([['second', blockRecord]], echo));
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server });
    assert.equal(exit.code, 1, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.status, 'failed');
    assert.ok(s.error?.message.startsWith(`Could not write the run record ${recordFile}: `), s.error?.message);
    assert.match(s.error!.message, /the run had completed/);
    assert.match(exit.stderr, /RunStorageError: Could not write the run record/);
    assert.doesNotMatch(exit.stderr, /\n\s+at /, 'a message, not a stack trace');
    assert.deepEqual([...finishedLabels(readJournal(f.repo.journal(s.runId)))].sort(), ['a', 'b', 'c']);
  });
});
