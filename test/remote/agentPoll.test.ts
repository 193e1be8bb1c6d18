// One poll follows all of a conductor's remote agents (src/host/remote/agentPoll.ts): against the
// real engine (PostgreSQL, DBOS's client and tables), fifty watched agents cost three queries a
// round, each agent gets its own progress rows in order and its own open questions, an agent whose
// workflow ended is told once and dropped, and open questions are marked as seen.
import assert from 'node:assert/strict';
import { DBOSClient } from '@dbos-inc/dbos-sdk';
import { Pool } from 'pg';
import { AgentPoll, type AgentWatcher, type OpenQuestion } from '../../src/host/remote/agentPoll';
import { dbosEngineUrl } from '../../src/host/remote/engineUrl';
import { APP_NAME, QUEUE, WORKFLOW, SCHEMA, type RemoteProgress } from '../../src/host/remote/protocol';
import { migrateEngine } from '../../src/host/remote/schema';
import { startEngine, type TestEngine } from './engine';

interface Seen {
  progress: RemoteProgress[];
  lasts: string[];
  questions: OpenQuestion[][];
  finished: number;
  failed: Error[];
}

function recorder(): { seen: Seen; watcher: AgentWatcher } {
  const seen: Seen = { progress: [], lasts: [], questions: [], finished: 0, failed: [] };
  return {
    seen,
    watcher: {
      progress: (events, last) => (seen.progress.push(...events), seen.lasts.push(last)),
      questions: (open) => seen.questions.push(open),
      finished: () => seen.finished++,
      failed: (e) => seen.failed.push(e),
    },
  };
}

const tool = (name: string): RemoteProgress => ({ kind: 'tool', name });

describe('AgentPoll: one poll for all remote agents', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  let pool: Pool;
  let client: DBOSClient;
  let poll: AgentPoll | undefined;

  before(async () => {
    engine = await startEngine();
    await migrateEngine(engine.url);
    pool = new Pool({ connectionString: engine.url, max: 2 });
    client = await DBOSClient.create({ systemDatabaseUrl: dbosEngineUrl(engine.url), applicationName: APP_NAME });
  });
  after(async () => {
    await client?.destroy();
    await pool?.end();
    engine?.stop();
  });
  afterEach(async () => {
    await poll?.close();
    poll = undefined;
  });

  const publish = (id: string, event: RemoteProgress) =>
    pool.query(`INSERT INTO ${SCHEMA}.progress (workflow_id, event) VALUES ($1, $2)`, [id, JSON.stringify(event)]);
  const ask = (id: string, seq: string, command: string) =>
    pool.query(`INSERT INTO ${SCHEMA}.approval (workflow_id, seq, request) VALUES ($1, $2, $3)`, [
      id,
      seq,
      JSON.stringify({ command, agent: id }),
    ]);
  /** A workflow on the queue with no worker to run it: ENQUEUED until cancelled. */
  const enqueue = (id: string) =>
    client.enqueue({ queueName: QUEUE, workflowName: WORKFLOW, workflowID: id, appVersion: 'test' }, {});
  const until = async (what: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!what()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  it('fifty agents: three queries a round, each agent its own rows in order and its own questions', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `poll-a-${i}`);
    for (const id of ids) await enqueue(id);
    poll = new AgentPoll(pool, client, { pollMs: 50, presentMs: 60_000 });
    const seen = new Map(ids.map((id) => [id, recorder()]));
    for (const id of ids) poll.watch(id, '0', seen.get(id)!.watcher);
    for (const [i, id] of ids.entries()) {
      await publish(id, tool(`first-${i}`));
      await publish(id, tool(`second-${i}`));
    }
    await ask(ids[7], 'q1', 'npm test');
    await until(() => ids.every((id) => seen.get(id)!.seen.progress.length === 2));
    await until(() => seen.get(ids[7])!.seen.questions.length > 0);
    for (const [i, id] of ids.entries())
      assert.deepEqual(seen.get(id)!.seen.progress, [tool(`first-${i}`), tool(`second-${i}`)], id);
    assert.deepEqual(seen.get(ids[7])!.seen.questions[0], [
      { seq: 'q1', request: { command: 'npm test', agent: ids[7] } },
    ]);
    assert.ok(
      ids.every((id, i) => i === 7 || seen.get(id)!.seen.questions.length === 0),
      'questions went to their agent only',
    );
    // The presence mark runs on the first round only here (every 60 s): the rest is three queries.
    assert.equal(poll.stats.queries, poll.stats.rounds * 3 + 1);
    // A later row is read from where the last round stopped, not again from the start.
    await publish(ids[0], tool('third-0'));
    await until(() => seen.get(ids[0])!.seen.progress.length === 3);
    assert.equal(seen.get(ids[0])!.seen.progress[2].kind, 'tool');
    assert.ok(ids.every((id) => seen.get(id)!.seen.finished === 0 && seen.get(id)!.seen.failed.length === 0));
  });

  it('an agent whose workflow ended gets its last rows, then finished once, and is no longer read', async () => {
    await enqueue('poll-b-1');
    await enqueue('poll-b-2');
    poll = new AgentPoll(pool, client, { pollMs: 50, presentMs: 60_000 });
    const one = recorder();
    const two = recorder();
    poll.watch('poll-b-1', '0', one.watcher);
    poll.watch('poll-b-2', '0', two.watcher);
    await publish('poll-b-1', tool('last words'));
    await client.cancelWorkflow('poll-b-1');
    await until(() => one.seen.finished === 1);
    assert.deepEqual(one.seen.progress, [tool('last words')], 'the rows published before it ended came first');
    const rounds = poll.stats.rounds;
    await until(() => poll!.stats.rounds >= rounds + 3);
    assert.equal(one.seen.finished, 1, 'told once');
    assert.equal(two.seen.finished, 0, 'the other agent is still followed');
  });

  it('marks open questions as seen for the workers, and stops following an agent on request', async () => {
    await enqueue('poll-c-1');
    await ask('poll-c-1', 'q1', 'make');
    poll = new AgentPoll(pool, client, { pollMs: 50, presentMs: 100 });
    const c = recorder();
    const stop = poll.watch('poll-c-1', '0', c.watcher);
    const seenAt = async () =>
      (
        await pool.query<{ seen_at: Date | null }>(`SELECT seen_at FROM ${SCHEMA}.approval WHERE workflow_id = $1`, [
          'poll-c-1',
        ])
      ).rows[0].seen_at;
    await until(() => c.seen.questions.length > 0);
    const first = await seenAt();
    assert.ok(first, 'marked as seen');
    const later = Date.now() + 20_000;
    while (((await seenAt())?.getTime() ?? 0) <= first.getTime() && Date.now() < later)
      await new Promise((res) => setTimeout(res, 50));
    assert.ok((await seenAt())!.getTime() > first.getTime(), 'marked again while it waits');
    stop();
    const asked = c.seen.questions.length;
    await publish('poll-c-1', tool('after stop'));
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(c.seen.questions.length, asked, 'no question after stop');
    assert.deepEqual(c.seen.progress, [], 'no progress after stop');
  });

  it('an engine that cannot be read fails every watched agent with the error', async () => {
    const broken = new Pool({ connectionString: engine.url.replace(/\/dwf$/, '/no_such_database'), max: 1 });
    broken.on('error', () => undefined);
    await enqueue('poll-d-1');
    poll = new AgentPoll(broken, client, { pollMs: 50, presentMs: 60_000 });
    const d = recorder();
    poll.watch('poll-d-1', '0', d.watcher);
    await until(() => d.seen.failed.length > 0);
    assert.match(d.seen.failed[0].message, /no_such_database/);
    await poll.close();
    await broken.end();
  });
});
