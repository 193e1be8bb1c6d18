// Issue 7 item 10: one resume at a time. Two `dwf resume` of one run started together: one runs,
// the other is refused (exit 2, "already running") before touching the run, and the fake Messages
// API sees every agent exactly once. A run whose `dwf` was SIGKILLed leaves a stale lock that the
// next resume takes over.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeAnthropicServer } from '../../fakes/fakeAnthropic';
import { describeExit, dwf, ensureBuilt, requestsByPrompt, runDwf, summaryOf, tempRepo, type Repo } from './harness';

const SCRIPT = `export const meta = { name: 'twice', description: 'first agents, then a stop, then second agents' }
await parallel([1, 2, 3].map((i) => () => agent('first ' + i)))
if (args.fail) throw new Error('stopping after the first agents')
return await parallel([1, 2, 3].map((i) => () => agent('second ' + i)))
`;

describe('cli e2e: one resume at a time (run lock)', function () {
  this.timeout(60_000);
  let repo: Repo;
  let server: FakeAnthropicServer;

  before(() => ensureBuilt());
  beforeEach(() => {
    repo = tempRepo();
    repo.write('twice.js', SCRIPT);
  });
  afterEach(async () => {
    await server?.close();
    repo.cleanup();
  });

  async function failedRun(): Promise<string> {
    const first = await runDwf(repo, ['run', 'twice.js', '--json', '--args', '{"fail":true}'], { server });
    assert.equal(first.code, 1, describeExit(first));
    return summaryOf(first).runId;
  }

  it('two `dwf resume` started together: one runs, the other exits 2 with "already running"; each agent reaches the API once', async () => {
    server = await FakeAnthropicServer.start({ latencyMs: 400 });
    const runId = await failedRun();
    const a = dwf(repo, ['resume', runId, '--json', '--args', '{"fail":false}'], { server });
    const b = dwf(repo, ['resume', runId, '--json', '--args', '{"fail":false}'], { server });
    const exits = await Promise.all([a.exited, b.exited]);
    const ran = exits.filter((e) => e.code === 0);
    const refused = exits.filter((e) => e.code === 2);
    assert.equal(ran.length, 1, exits.map(describeExit).join('\n---\n'));
    assert.equal(refused.length, 1, exits.map(describeExit).join('\n---\n'));
    assert.match(
      refused[0].stderr,
      new RegExp(
        `Run ${runId} is already running \\(pid \\d+, since [^)]+\\)\\. Wait for it or stop it; if that process is gone, the lock is stale and is cleared automatically\\.`,
      ),
    );
    assert.deepEqual(summaryOf(ran[0]).result, ['echo:second 1', 'echo:second 2', 'echo:second 3']);
    const counts = requestsByPrompt(server);
    for (const p of ['first 1', 'first 2', 'first 3', 'second 1', 'second 2', 'second 3'])
      assert.equal(counts.get(p), 1, `${p}: ${counts.get(p)} requests`);
    assert.ok(
      !fs.existsSync(path.join(repo.root, '.claude', 'workflow-runs', runId, 'lock')),
      'the lock is gone after the run',
    );
  });

  it('a SIGKILLed run leaves a stale lock; the next resume takes it over and finishes the run', async () => {
    server = await FakeAnthropicServer.start({ latencyMs: 300 });
    const runId = await failedRun();
    const killed = dwf(repo, ['resume', runId, '--args', '{"fail":false}'], { server });
    const lock = path.join(repo.root, '.claude', 'workflow-runs', runId, 'lock');
    // The lock is created empty (O_EXCL) and then written: wait for its owner, not only the file.
    let owner: { pid?: number } | undefined;
    while (!(owner = readLock(lock))) await new Promise((r) => setTimeout(r, 20));
    assert.equal(owner.pid, killed.child.pid);
    killed.child.kill('SIGKILL');
    await killed.exited;
    assert.ok(fs.existsSync(lock), 'the killed process could not remove its lock');
    const again = await runDwf(repo, ['resume', runId, '--json', '--args', '{"fail":false}'], { server });
    assert.equal(again.code, 0, describeExit(again));
    assert.equal(summaryOf(again).status, 'completed');
  });
});

function readLock(file: string): { pid?: number } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number };
  } catch {
    return undefined; // not there yet, or created and not yet written
  }
}
