// Issue 7 item 11: the run folder belongs to the runtime. An agent that replaces journal.jsonl
// (symlink swap, rename-over, removal, even the whole run folder) loses no finished result: the
// writer notices before its next write or close, moves the intruder aside, rewrites the journal
// from its own copy and warns; a symlink's target is never written; a resume replays everything.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JournalWriter, readJournal, type JournalLine } from '../../../src/core/journal/journalFile';
import { agentEvents, createHarness, logLines, type Harness } from '../../fakes/engineHarness';

const started = (i: number): JournalLine => ({
  type: 'started',
  key: `v2:${i}`,
  agentId: `a${i}`,
  index: i,
  label: `l${i}`,
  pos: `p${i}`,
  content: `c${i}`,
});
const result = (i: number): JournalLine => ({ type: 'result', key: `v2:${i}`, agentId: `a${i}`, result: `r${i}` });

describe('journal: a replaced journal file is noticed and nothing is lost', () => {
  let tmp: string;
  let runDir: string;
  let file: string;
  let outside: string;
  let warnings: string[];
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-tamper-')));
    runDir = path.join(tmp, 'runs', 'wf_tamper1');
    fs.mkdirSync(runDir, { recursive: true });
    file = path.join(runDir, 'journal.jsonl');
    outside = path.join(tmp, 'outside.txt');
    fs.writeFileSync(outside, 'not the journal\n');
    warnings = [];
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const writer = () => new JournalWriter(file, (m) => warnings.push(m));
  const asides = () => fs.readdirSync(runDir).filter((n) => n.startsWith('journal.jsonl.replaced-'));

  it('a symlink swapped in: its target is never written; the journal is rebuilt with every line', () => {
    const w = writer();
    w.appendMany([started(0), result(0)]);
    fs.rmSync(file);
    fs.symlinkSync(outside, file);
    w.appendMany([started(1), result(1)]);
    w.close();
    assert.equal(fs.readFileSync(outside, 'utf8'), 'not the journal\n', 'the target outside is untouched');
    assert.ok(fs.lstatSync(file).isFile() && !fs.lstatSync(file).isSymbolicLink());
    assert.deepEqual(readJournal(file).lines, [started(0), result(0), started(1), result(1)]);
    assert.equal(asides().length, 1);
    assert.ok(fs.lstatSync(path.join(runDir, asides()[0])).isSymbolicLink(), 'the link itself was moved aside');
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /was tampered with: it was replaced by a symbolic link\. The intruder was moved to .*journal\.jsonl\.replaced-\d+; the journal was rewritten/,
    );
  });

  it('a file renamed over it (forged lines): the forgery is moved aside, the real lines restored', () => {
    const w = writer();
    w.appendMany([started(0), result(0)]);
    const forged = path.join(runDir, 'forged');
    fs.writeFileSync(forged, JSON.stringify({ type: 'result', key: 'v2:9', agentId: 'a9', result: 'forged' }) + '\n');
    fs.renameSync(forged, file);
    w.append(started(1));
    w.close();
    assert.deepEqual(readJournal(file).lines, [started(0), result(0), started(1)]);
    assert.match(fs.readFileSync(path.join(runDir, asides()[0]), 'utf8'), /forged/);
    assert.match(warnings[0], /replaced by another file/);
  });

  it('removed: recreated from the writer’s copy', () => {
    const w = writer();
    w.appendMany([started(0), result(0)]);
    fs.rmSync(file);
    w.append(started(1));
    w.close();
    assert.deepEqual(readJournal(file).lines, [started(0), result(0), started(1)]);
    assert.match(warnings[0], /it was removed/);
  });

  it('swapped after the last write: repaired when the writer closes', () => {
    const w = writer();
    w.appendMany([started(0), result(0)]);
    fs.rmSync(file);
    fs.symlinkSync(outside, file);
    w.close();
    assert.deepEqual(readJournal(file).lines, [started(0), result(0)]);
    assert.equal(fs.readFileSync(outside, 'utf8'), 'not the journal\n');
  });

  it('the whole run folder replaced by a link elsewhere: the folder outside is not written', () => {
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const w = writer();
    w.appendMany([started(0), result(0)]);
    fs.renameSync(runDir, path.join(tmp, 'stolen'));
    fs.symlinkSync(elsewhere, runDir);
    w.append(started(1));
    w.close();
    assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing written through the link');
    assert.ok(fs.lstatSync(runDir).isDirectory() && !fs.lstatSync(runDir).isSymbolicLink());
    assert.deepEqual(readJournal(file).lines, [started(0), result(0), started(1)]);
    assert.match(warnings[0], /its run folder was replaced/);
  });

  it('a symlink already at the path when a writer opens is moved aside, never followed', () => {
    fs.symlinkSync(outside, file);
    const w = writer();
    w.append(started(0));
    w.close();
    assert.equal(fs.readFileSync(outside, 'utf8'), 'not the journal\n');
    assert.deepEqual(readJournal(file).lines, [started(0)]);
    assert.match(warnings[0], /was not a regular file; it was moved to/);
  });

  it('readJournal does not replay a symlinked journal (its lines are not ours)', () => {
    fs.writeFileSync(outside, JSON.stringify(result(0)) + '\n');
    fs.symlinkSync(outside, file);
    const { lines, damaged } = readJournal(file);
    assert.deepEqual(lines, []);
    assert.match(damaged[0].text, /is not a regular file/);
  });
});

describe('journal: replaced mid-run, then resumed (real engine)', function () {
  this.timeout(30_000);
  let h: Harness;
  let outside: string;
  const SCRIPT = (fail: boolean) => `
    const a = await agent('one')
    const b = await agent('tamper')
    const c = await agent('three')
    ${fail ? "throw new Error('stop so we resume')" : ''}
    return [a, b, c]`;

  for (const how of ['symlink', 'rename-over'] as const) {
    it(`${how}: the resume replays every finished agent and the target outside is not written`, async () => {
      h = createHarness({
        rules: [
          {
            match: 'tamper',
            reply: () => {
              const journal = h.store.journalPath(h.store.list()[0].runId);
              if (how === 'symlink') {
                fs.rmSync(journal);
                fs.symlinkSync(outside, journal);
              } else {
                const forged = journal + '.new';
                fs.writeFileSync(forged, '');
                fs.renameSync(forged, journal);
              }
              return 'tampered';
            },
          },
        ],
      });
      outside = path.join(h.dir, 'outside.txt');
      fs.writeFileSync(outside, 'untouched\n');
      const first = await h.run(SCRIPT(true));
      assert.equal(first.status, 'failed');
      assert.equal(h.runner.calls.length, 3);
      assert.ok(
        logLines(first.events).some((l) => /was tampered with/.test(l)),
        'the run warned',
      );
      const again = await h.resume(first.runId, { source: SCRIPT(false) });
      assert.equal(again.status, 'completed', again.error?.message);
      assert.deepEqual(again.result, ['echo:one', 'tampered', 'echo:three']);
      assert.equal(h.runner.calls.length, 3, 'no finished agent ran again');
      assert.equal(agentEvents(again.events, 'cached').length, 3);
      assert.equal(fs.readFileSync(outside, 'utf8'), 'untouched\n');
      h.cleanup();
    });
  }
});
