// The journal is what makes resume possible: lines must survive a kill and a torn tail must not
// poison the file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JournalLine } from '../../../src/core/journal/journalFile';
import { JournalWriter, readJournal } from '../../../src/core/journal/journalFile';

const started = (i: number): JournalLine => ({
  type: 'started',
  key: `v2:${i}`,
  agentId: `a${i}`,
  index: i,
  label: `l${i}`,
  pos: `p${i}`,
  content: `c${i}`,
});

describe('journal/journalFile', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-journal-'));
    file = path.join(dir, 'journal.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips every line type', () => {
    const lines: JournalLine[] = [
      { type: 'launched', runId: 'wf_abcdef', scriptHash: 'h', at: 1 },
      { ...started(0), phase: 'Review', reason: 'changed' } as JournalLine,
      {
        type: 'result',
        key: 'v2:0',
        agentId: 'a0',
        result: { ok: [1, 'two\nlines', null] },
        toolsUsed: ['Read'],
        usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 },
        model: 'm',
      },
      { type: 'failed', key: 'v2:1', agentId: 'a1', reason: 'stalled' },
      { type: 'resumed', at: 2, scriptHash: 'h' },
    ];
    const w = new JournalWriter(file);
    w.append(lines[0]);
    w.appendMany(lines.slice(1));
    w.appendMany([]);
    w.sync();
    w.close();
    w.close(); // idempotent
    assert.throws(() => w.append(lines[0]), /closed/);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('\n').length, lines.length + 1);
    assert.deepEqual(readJournal(file), { lines, damaged: [] });
  });

  it('creates the file owner-only and appends to an existing one', () => {
    const w1 = new JournalWriter(file);
    w1.append(started(0));
    w1.close();
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const w2 = new JournalWriter(file);
    w2.append(started(1));
    w2.close();
    assert.deepEqual(readJournal(file).lines, [started(0), started(1)]);
  });

  it('a missing file is an empty journal', () => {
    assert.deepEqual(readJournal(path.join(dir, 'nope.jsonl')), { lines: [], damaged: [] });
  });

  it('recovers from a torn last line, and the next writer does not glue onto it', () => {
    const w = new JournalWriter(file);
    w.append(started(0));
    w.close();
    const torn = JSON.stringify(started(1)).slice(0, 20);
    fs.appendFileSync(file, torn);
    assert.deepEqual(readJournal(file), { lines: [started(0)], damaged: [{ lineNumber: 2, text: torn }] });

    const w2 = new JournalWriter(file);
    w2.append(started(2));
    w2.close();
    assert.deepEqual(readJournal(file), { lines: [started(0), started(2)], damaged: [{ lineNumber: 2, text: torn }] });
  });

  it('reports garbage lines without throwing and skips blank ones', () => {
    const good = JSON.stringify(started(0));
    const long = 'x'.repeat(5000);
    fs.writeFileSync(
      file,
      [
        good,
        'not json',
        '[1,2]',
        '{"type":"mystery"}',
        '{"type":"started","key":"k"}',
        '',
        '   ',
        long,
        good + '\r',
        '',
      ].join('\n'),
    );
    const { lines, damaged } = readJournal(file);
    assert.deepEqual(lines, [started(0), started(0)]);
    assert.deepEqual(
      damaged.map((d) => d.lineNumber),
      [2, 3, 4, 5, 8],
    );
    assert.ok(damaged[4].text.length <= 1001, 'long damaged text is cut');
  });

  it('a result line without a result field (undefined) is still a result', () => {
    fs.writeFileSync(file, '{"type":"result","key":"k","agentId":"a"}\n');
    assert.equal(readJournal(file).lines.length, 1);
  });

  it('keeps every reported line when the writer is SIGKILLed', async function () {
    this.timeout(30000);
    // The compiled module: this test runs from out/test/unit/journal/.
    const modPath = path.resolve(__dirname, '../../../src/core/journal/journalFile.js');
    assert.ok(fs.existsSync(modPath), `compiled module missing at ${modPath}`);
    const childSrc = `
      const { JournalWriter } = require(${JSON.stringify(modPath)});
      const w = new JournalWriter(${JSON.stringify(file)});
      const pad = 'r'.repeat(3000);
      for (let i = 0; ; i++) {
        w.append({ type: 'result', key: 'v2:' + i, agentId: 'a' + i, result: pad + i });
        process.stdout.write(i + 1 + '\\n');
      }`;
    const child = spawn(process.execPath, ['-e', childSrc], { stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // 'close' (not 'exit') so every stdout chunk the child wrote has been counted.
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        for (const p of parts) reported = Math.max(reported, Number(p));
        if (reported >= 500 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    assert.equal(await exited, 'SIGKILL');
    // Counts printed after the kill was sent were still counted above: each follows its append.
    const { lines, damaged } = readJournal(file);
    assert.ok(damaged.length <= 1, 'at most a torn tail');
    const keys = new Set(lines.map((l) => (l as { key: string }).key));
    for (let i = 0; i < reported; i++) assert.ok(keys.has('v2:' + i), `line ${i} lost (reported ${reported})`);
    assert.ok(lines.length >= reported);
  });
});

describe('journal/journalFile syncSoon', () => {
  it('flushes off the main thread and a close during the flush loses nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-syncsoon-'));
    const file = path.join(dir, 'journal.jsonl');
    const w = new JournalWriter(file);
    for (let i = 0; i < 50; i++) {
      w.append({ type: 'failed', key: `v2:${i}`, agentId: `a${i}`, reason: 'x' });
      w.syncSoon();
    }
    w.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(readJournal(file).lines.length, 50);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
