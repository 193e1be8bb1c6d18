// The journal committer on a real journal file whose disk fills up on cue (FailingRunStore):
// outcomes are announced only once their lines are written; the first failure is reported once,
// abandons what is pending, and nothing is written after it; close() never throws.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readJournal, type JournalLine } from '../../../src/core/journal/journalFile';
import { JournalCommitter } from '../../../src/core/run/journalCommitter';
import type { ErrorInfo } from '../../../src/core/types';
import { zeroUsage } from '../../../src/core/types';
import { FailingRunStore } from '../../fakes/failingRunStore';

const result = (key: string): JournalLine => ({ type: 'result', key, agentId: key, result: `r-${key}` });

describe('JournalCommitter', () => {
  let dir: string;
  let store: FailingRunStore;
  let runId: string;
  let failures: ErrorInfo[];
  let log: string[];
  let committer: JournalCommitter;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-committer-'));
    store = new FailingRunStore(path.join(dir, 'runs'));
    runId = store.newRunId();
    const now = Date.now();
    store.create(runId, {
      source: '',
      args: undefined,
      record: {
        runId,
        name: 't',
        description: 'd',
        status: 'running',
        createdAt: now,
        updatedAt: now,
        agents: { total: 0, done: 0, cached: 0, failed: 0, skipped: 0 },
        usage: zeroUsage(),
        logs: [],
      },
    });
    failures = [];
    log = [];
    committer = JournalCommitter.open(
      store.journalPath(runId),
      () => store.openJournal(runId, () => undefined),
      (e) => failures.push(e),
    );
  });
  afterEach(() => {
    committer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pending = (key: string) => ({
    announce: () => log.push(`announce ${key}`),
    abandon: () => log.push(`abandon ${key}`),
  });
  const keys = () => readJournal(store.journalPath(runId)).lines.map((l) => ('key' in l ? l.key : l.type));

  it('announces outcomes only after their group commit, in order', () => {
    committer.queueOutcome(result('a'), pending('a'));
    committer.queueOutcome(result('b'), pending('b'));
    assert.deepEqual(log, []);
    assert.deepEqual(keys(), []);
    committer.commitOutcomes();
    assert.deepEqual(keys(), ['a', 'b']);
    assert.deepEqual(log, ['announce a', 'announce b']);
    assert.equal(committer.close(), undefined);
  });

  it('the first failed write abandons its batch, is reported once, and ends all writing', () => {
    committer.queueOutcome(result('a'), pending('a'));
    committer.commitOutcomes();
    store.failures = { journalLine: 3 }; // room for one more line
    committer.queueOutcome(result('b'), pending('b'));
    committer.queueOutcome(result('c'), pending('c'));
    committer.commitOutcomes();
    assert.deepEqual(log, ['announce a', 'abandon b', 'abandon c']);
    assert.equal(failures.length, 1);
    assert.ok(
      failures[0].message.startsWith(`Could not write the run journal ${store.journalPath(runId)}: ENOSPC`),
      failures[0].message,
    );

    store.failures = {}; // even with room again, a journal with a hole is not written further
    committer.queueStarted({ type: 'started', key: 'd', agentId: 'd', index: 3, label: 'd', pos: 'p', content: 'c' });
    committer.commitStarted();
    committer.queueOutcome(result('e'), pending('e'));
    committer.commitOutcomes();
    assert.deepEqual(keys(), ['a', 'b'], 'b fitted before the disk was full; nothing after the failure');
    assert.equal(failures.length, 1, 'reported once');
    assert.equal(committer.close(), failures[0]);
  });

  it('close() writes what is pending, never throws, and returns a failure instead of reporting it', () => {
    committer.queueStarted({ type: 'started', key: 'a', agentId: 'a', index: 0, label: 'a', pos: 'p', content: 'c' });
    committer.queueOutcome(result('a'), pending('a'));
    store.failures = { sync: true };
    const failure = committer.close();
    assert.deepEqual(keys(), ['a', 'a']);
    assert.deepEqual(log, ['announce a']);
    assert.match(failure?.message ?? '', /ENOSPC: no space left on device, fdatasync/);
    assert.deepEqual(failures, [], 'the run is already ending: close() returns it');
    assert.equal(committer.close(), failure, 'a second close returns the same');
  });

  it('open() of a journal that cannot be opened throws naming the file', () => {
    const ghost = 'wf_no-such-run';
    const missing = store.journalPath(ghost);
    assert.throws(
      () =>
        JournalCommitter.open(
          missing,
          () => store.openJournal(ghost, () => undefined),
          () => undefined,
        ),
      (e: Error) => e.message.startsWith(`Could not write the run journal ${missing}: ENOENT`),
    );
  });
});
