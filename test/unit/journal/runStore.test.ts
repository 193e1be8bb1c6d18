// The runs folder outlives the CLI and the editor (spec §7 rows 2-4).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../../src/core/journal/runStore';
import { FileRunStore, MAX_RECORD_LOGS } from '../../../src/core/journal/runStore';
import { RunLock } from '../../../src/core/journal/runLock';

const posix = process.platform !== 'win32';

function record(runId: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    runId,
    name: 'demo',
    description: 'd',
    status: 'completed',
    createdAt: 1000,
    updatedAt: 1000,
    agents: { total: 2, done: 1, cached: 1, failed: 0, skipped: 0 },
    usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 },
    logs: ['hi'],
    ...over,
  };
}

describe('journal/runStore', () => {
  let ws: string;
  let store: FileRunStore;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-runs-'));
    store = FileRunStore.forWorkspace(ws);
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('lives in .claude/workflow-runs with a .gitignore of "*"', () => {
    assert.equal(store.root, path.join(ws, '.claude', 'workflow-runs'));
    assert.ok(!fs.existsSync(store.root), 'nothing is written before the first run');
    const id = store.newRunId();
    store.create(id, { source: 's', args: 1, record: record(id) });
    assert.equal(fs.readFileSync(path.join(store.root, '.gitignore'), 'utf8').trim(), '*');
  });

  it('new run ids match the pattern and differ', () => {
    const ids = new Set(Array.from({ length: 50 }, () => store.newRunId()));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^wf_[a-z0-9-]{6,}$/);
  });

  it('round-trips script, args and record, with owner-only modes', () => {
    const id = store.newRunId();
    const rec = record(id, {
      status: 'running',
      pid: 123,
      scriptFile: '/x/y.js',
      result: { a: [1] },
      error: { name: 'E', message: 'm' },
    });
    store.create(id, { source: 'export const meta = {}\n', args: { topic: 'x', n: [1, 2] }, record: rec });
    assert.equal(store.readScript(id), 'export const meta = {}\n');
    assert.deepEqual(store.readArgs(id), { args: { topic: 'x', n: [1, 2] } });
    assert.deepEqual(store.readRecord(id), rec);
    assert.equal(store.scriptPath(id), path.join(store.root, id, 'script.js'));
    assert.equal(store.journalPath(id), path.join(store.root, id, 'journal.jsonl'));
    assert.ok(fs.statSync(store.transcriptsDir(id)).isDirectory());
    if (posix) {
      assert.equal(fs.statSync(store.dir(id)).mode & 0o777, 0o700);
      for (const f of ['script.js', 'args.json', 'run.json']) {
        assert.equal(fs.statSync(path.join(store.dir(id), f)).mode & 0o777, 0o600, f);
      }
    }
    assert.throws(() => store.create(id, { source: '', args: 1, record: rec }), /EEXIST/);
  });

  it('args round-trip including undefined, null, strings and falsy values', () => {
    const id = store.newRunId();
    store.create(id, { source: '', args: undefined, record: record(id) });
    const back = store.readArgs(id);
    assert.ok(back && 'args' in back);
    assert.equal(back.args, undefined);
    for (const v of [null, '', 0, false, '{"json":"string"}', [1, { b: 2 }]]) {
      store.writeArgs(id, v);
      assert.deepEqual(store.readArgs(id), { args: v });
    }
    assert.equal(store.readArgs(store.newRunId()), undefined);
  });

  it('writeRecord is atomic: no temp files left, readers see whole records', () => {
    const id = store.newRunId();
    store.create(id, { source: '', args: 1, record: record(id) });
    for (let i = 0; i < 20; i++) {
      store.writeRecord(
        record(id, { updatedAt: 2000 + i, logs: Array.from({ length: 50 }, (_, j) => `line ${i}.${j}`) }),
      );
      assert.equal(store.readRecord(id)?.updatedAt, 2000 + i);
    }
    assert.deepEqual(fs.readdirSync(store.dir(id)).sort(), ['args.json', 'run.json', 'script.js', 'transcripts']);
  });

  it('writeRecord keeps only the first MAX_RECORD_LOGS log lines', () => {
    const id = store.newRunId();
    const logs = Array.from({ length: MAX_RECORD_LOGS + 5 }, (_, i) => `l${i}`);
    store.create(id, { source: '', args: 1, record: record(id, { logs }) });
    const back = store.readRecord(id);
    assert.equal(back?.logs.length, MAX_RECORD_LOGS);
    assert.equal(back?.logs[0], 'l0');
  });

  it('readRecord returns undefined for missing or unreadable records', () => {
    const id = store.newRunId();
    assert.equal(store.readRecord(id), undefined);
    assert.equal(store.readScript(id), undefined);
    store.create(id, { source: '', args: 1, record: record(id) });
    fs.writeFileSync(path.join(store.dir(id), 'run.json'), '{"runId": "wf_');
    assert.equal(store.readRecord(id), undefined);
  });

  it('lists runs newest first and skips unreadable or foreign dirs', () => {
    assert.deepEqual(store.list(), []); // root does not exist yet
    const ids = ['wf_aaaaaa', 'wf_bbbbbb', 'wf_cccccc'];
    ids.forEach((id, i) => store.create(id, { source: '', args: 1, record: record(id, { createdAt: [5, 9, 7][i] }) }));
    fs.mkdirSync(path.join(store.root, 'wf_broken'));
    fs.writeFileSync(path.join(store.root, 'wf_broken', 'run.json'), 'garbage');
    fs.mkdirSync(path.join(store.root, 'not-a-run'));
    assert.deepEqual(
      store.list().map((r) => r.runId),
      ['wf_bbbbbb', 'wf_cccccc', 'wf_aaaaaa'],
    );
  });

  it('rejects invalid run ids everywhere (path traversal)', () => {
    const bad = ['../etc', 'wf_../../x', 'wf_ABCDEF', 'wf_abc', 'x_abcdef', '', 'wf_abcdef/..', 'wf_abcdef\0'];
    for (const id of bad) {
      for (const call of [
        () => store.dir(id),
        () => store.scriptPath(id),
        () => store.journalPath(id),
        () => store.transcriptsDir(id),
        () => store.readScript(id),
        () => store.readArgs(id),
        () => store.writeArgs(id, 1),
        () => store.readRecord(id),
        () => store.writeRecord(record(id)),
        () => store.create(id, { source: '', args: 1, record: record(id) }),
      ]) {
        assert.throws(call, /Invalid run id/, `accepted ${JSON.stringify(id)}`);
      }
    }
    assert.ok(!fs.existsSync(path.join(ws, 'etc')));
  });

  it('create rejects a record whose runId differs', () => {
    assert.throws(
      () => store.create('wf_aaaaaa', { source: '', args: 1, record: record('wf_bbbbbb') }),
      /does not match/,
    );
  });

  it('isLive: running and a live process holds its lock; a dead owner means crashed', () => {
    const id = store.newRunId();
    store.create(id, { source: '', args: 1, record: record(id, { status: 'running', pid: process.pid }) });
    assert.equal(store.isLive(record(id, { status: 'running' })), false, 'no lock: crashed');
    const lock = RunLock.acquire(store.dir(id), id);
    assert.equal(store.isLive(record(id, { status: 'running' })), true);
    assert.equal(store.isLive(record(id, { status: 'completed' })), false);
    lock.release();
    assert.equal(store.isLive(record(id, { status: 'running' })), false);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    assert.ok(deadPid > 0);
    fs.writeFileSync(
      path.join(store.dir(id), 'lock'),
      JSON.stringify({ pid: deadPid, host: os.hostname(), since: Date.now(), token: 't' }),
    );
    assert.equal(store.isLive(record(id, { status: 'running' })), false);
  });

  it('remove deletes the run folder, refuses while a live process holds its lock, and only unlinks a symlinked run', () => {
    const id = store.newRunId();
    store.create(id, { source: 's', args: [1], record: record(id) });
    const lock = RunLock.acquire(store.dir(id), id);
    assert.throws(
      () => store.remove(id),
      (e: Error) => e.name === 'RunLockedError' && e.message.includes(id),
    );
    assert.ok(fs.existsSync(store.scriptPath(id)), 'a locked run is left whole');
    lock.release();
    assert.equal(store.remove(id), true);
    assert.ok(!fs.existsSync(store.dir(id)));
    assert.deepEqual(store.list(), []);
    assert.equal(store.remove(id), false, 'nothing left to remove');
    assert.throws(() => store.remove('../outside'), /Invalid run id/);
    if (posix) {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-elsewhere-'));
      fs.writeFileSync(path.join(elsewhere, 'keep.txt'), 'k');
      const linked = store.newRunId();
      fs.symlinkSync(elsewhere, path.join(store.root, linked));
      assert.equal(store.remove(linked), true);
      assert.ok(!fs.existsSync(path.join(store.root, linked)), 'the link is gone');
      assert.equal(fs.readFileSync(path.join(elsewhere, 'keep.txt'), 'utf8'), 'k', 'what it pointed at is untouched');
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
