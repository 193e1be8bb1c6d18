// A remote agent's transcript travels with its result: taken from the worker (whole lines, within the
// limit, then removed there) and kept on the conductor where a local agent's transcript would be.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keepTranscript, takeTranscript } from '../../../src/host/remote/transcripts';

describe('remote transcripts', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-transcripts-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const agent = { runId: 'r1', agentId: 'a2', attempt: 1 };
  const lines = ['{"type":"start"}', '{"type":"response","turn":1}', '{"type":"end","outcome":"done"}'];

  it('the worker hands over the transcript and removes its copy', () => {
    const file = path.join(dir, 'r1', 'transcripts', 'a2.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.equal(takeTranscript(dir, agent), lines.join('\n') + '\n');
    assert.equal(fs.existsSync(file), false);
    assert.equal(takeTranscript(dir, agent), undefined, 'none left to take');
  });

  it('a transcript over the limit is cut at a whole line', () => {
    const file = path.join(dir, 'r1', 'transcripts', 'a2.2.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const cut = takeTranscript(dir, { ...agent, attempt: 2 }, lines[0]!.length + 10);
    assert.equal(cut, lines[0] + '\n');
  });

  it("the conductor keeps it as the run's transcript of that agent and attempt, private to the person", () => {
    keepTranscript(dir, { ...agent, attempt: 3 }, 'x\n');
    const file = path.join(dir, 'r1', 'transcripts', 'a2.3.jsonl');
    assert.equal(fs.readFileSync(file, 'utf8'), 'x\n');
    assert.equal(fs.statSync(file).mode & 0o077, 0);
  });
});
