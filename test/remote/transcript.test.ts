// Issue 13: a remote agent's transcript is on the conductor, where a local agent's would be, so the
// Runs view and `dwf` open it the same way; the worker keeps no copy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeExit, runDwf, summaryOf } from '../unit/cli-e2e/harness';
import { flowOnWorkers, remoteFixture, writeThenAnswer, TURN_USAGE } from './harness';

const SCRIPT = `export const meta = { name: 'transcript', description: 'd' }
return await agent('write a note', { isolation: 'remote', label: 'noter' })`;

describe('remote agents: transcripts on the conductor', function () {
  this.timeout(180_000);
  const f = remoteFixture();

  it("keeps a remote agent's transcript in the conductor's run folder: its prompt, turns and tool call", async () => {
    f.server.respond(
      writeThenAnswer({
        prompt: 'write a note',
        file: 'note.txt',
        content: 'note\n',
        answer: 'noted',
        usage: TURN_USAGE,
      }),
    );
    await flowOnWorkers(f, SCRIPT);
    const exit = await runDwf(f.repo, ['run', 'flow.js', '--json', '--engine', f.engine.url], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    const runDir = path.dirname(f.repo.journal(summaryOf(exit).runId));
    const dir = path.join(runDir, 'transcripts');
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1, `transcripts: ${files.join(', ')}`);
    const entries = fs
      .readFileSync(path.join(dir, files[0]!), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; prompt?: string; label?: string; name?: string });
    assert.equal(entries[0]?.type, 'start');
    assert.equal(entries[0]?.prompt, 'write a note');
    assert.equal(entries[0]?.label, 'noter');
    assert.ok(
      entries.some((e) => e.type === 'tool' && e.name === 'Write'),
      'the Write call is in the transcript',
    );
    assert.equal(entries.filter((e) => e.type === 'response').length, 2);
    assert.equal(entries.at(-1)?.type, 'end');
  });
});
