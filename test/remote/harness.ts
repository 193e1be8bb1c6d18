// The remote suite's set-up: one engine (PostgreSQL + `dwf engine init`) per suite, the fake model,
// a temporary git repository with one commit, and `dwf worker` processes of the built binary.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  FakeAnthropicServer,
  firstUserText,
  assistantTurns,
  systemText,
  type FakeTurn,
  type RecordedRequest,
} from '../fakes/fakeAnthropic';
import { dwf, ensureBuilt, runDwf, describeExit, tempRepo, type Dwf, type Repo } from '../unit/cli-e2e/harness';
import { startEngine, type TestEngine } from './engine';

export interface RemoteFixture {
  engine: TestEngine;
  server: FakeAnthropicServer;
  repo: Repo;
  workers: Dwf[];
}

/** Heartbeat every 500 ms, dead after 3 s: pickup within a few seconds, and no live worker of a loaded machine taken for dead. */
export const FAST_HEARTBEAT = { DWF_WORKER_HEARTBEAT_MS: '500', DWF_WORKER_STALE_MS: '3000' };

export function remoteFixture(): RemoteFixture {
  const f = { workers: [] } as unknown as RemoteFixture;
  before(async function () {
    this.timeout(120_000);
    ensureBuilt();
    f.engine = await startEngine();
  });
  after(() => f.engine?.stop());
  beforeEach(async function () {
    this.timeout(60_000);
    f.server = await FakeAnthropicServer.start({ apiKey: 'test' });
    f.repo = tempRepo();
    f.repo.write('README.md', 'base\n');
    commit(f.repo, 'base');
    // A fresh database per test would be slow: a fresh engine schema is not needed, every workflow id is new.
    const init = await runDwf(f.repo, ['engine', 'init', '--engine', f.engine.url]);
    if (init.code !== 0) throw new Error(`dwf engine init failed: ${describeExit(init)}`);
  });
  afterEach(async function () {
    this.timeout(30_000);
    for (const w of f.workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(f.workers.map((w) => w.exited.catch(() => undefined)));
    f.workers = [];
    // Killed workers' beats stay fresh for a few seconds: the next test's conductor must not count them.
    const { Client } = await import('pg');
    const c = new Client({ connectionString: f.engine.url });
    await c.connect();
    await c.query('DELETE FROM dwf.worker');
    await c.end();
    await f.server.close();
    f.repo.cleanup();
  });
  return f;
}

export function commit(repo: Repo, message: string): void {
  for (const args of [
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', message],
  ]) {
    const r = spawnSync('git', args, { cwd: repo.root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  }
}

/** Starts `n` workers on the engine and waits until each has joined. */
export async function startWorkers(
  f: RemoteFixture,
  n: number,
  env: Record<string, string> = {},
  extra: string[] = [],
): Promise<Dwf[]> {
  const started: Dwf[] = [];
  for (let i = 0; i < n; i++) {
    const w = dwf(f.repo, ['worker', '--engine', f.engine.url, ...extra], {
      server: f.server,
      env: { ...FAST_HEARTBEAT, ...env },
    });
    f.workers.push(w);
    started.push(w);
  }
  await Promise.all(started.map((w) => w.waitForStderr(/dwf worker \S+ \(dwf .*\) runs up to/, 60_000)));
  return started;
}

/** How many requests the fake saw per [agent prompt, turn] ("prompt#turn", turn 1-based). */
export function turnCounts(server: FakeAnthropicServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of server.requests) {
    const k = `${firstUserText(r.body)}#${assistantTurns(r.body) + 1}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** The worktree root the worker gave the agent, from its system prompt. */
export function rootOf(req: RecordedRequest): string {
  const system = systemText(req.body);
  const found = /Workspace folders: ([^,\n]+)/.exec(system)?.[1];
  if (!found) throw new Error(`no workspace root in the system prompt:\n${system.slice(0, 2000)}`);
  return found.trim();
}

/**
 * The fake model of a remote agent that writes a file and answers: turn 1 of the agent `prompt`
 * writes `file` (relative to its worktree) with `content`, the turns of `between` follow (each given
 * the worktree root), and the last turn answers `answer`. Turn 2 waits for `hold` first. Every
 * turn reports `usage` when given. Other agents' prompts are echoed (`echo:<prompt>`).
 */
/** The usage every turn of the fake model reports in the progress and transcript tests. */
export const TURN_USAGE = {
  input_tokens: 100,
  output_tokens: 10,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

export function writeThenAnswer(opts: {
  prompt: string;
  file: string;
  content: string;
  answer: string;
  between?: ((root: string) => FakeTurn)[];
  hold?: Promise<void>;
  usage?: FakeTurn['usage'];
}): (req: RecordedRequest) => Promise<FakeTurn> {
  const { prompt, file, content, answer, between = [], hold, usage } = opts;
  const turn = (t: FakeTurn): FakeTurn => (usage ? { ...t, usage } : t);
  return async (req) => {
    const asked = firstUserText(req.body);
    if (asked !== prompt) return turn({ text: `echo:${asked}` });
    const n = assistantTurns(req.body) + 1;
    if (n === 1)
      return turn({ toolUses: [{ name: 'Write', input: { file_path: path.join(rootOf(req), file), content } }] });
    if (n === 2) await hold;
    return turn(n - 2 < between.length ? between[n - 2](rootOf(req)) : { text: answer });
  };
}

/** A flow whose one remote agent (label `asker`) asks to run `touch approved.txt`. */
export const ASKING_FLOW = `export const meta = { name: 'asks', description: 'd' }
return await agent('touch a file', { isolation: 'remote', label: 'asker' })`;

/** The fake model of ASKING_FLOW: turn 1 runs `touch approved.txt`, turn 2 (kept in `seen`) answers "touched". */
export function touching(seen: RecordedRequest[] = []): (req: RecordedRequest) => FakeTurn {
  return (req) => {
    if (firstUserText(req.body) !== 'touch a file') return { text: 'echo' };
    if (assistantTurns(req.body) === 0)
      return { toolUses: [{ name: 'Bash', input: { command: 'touch approved.txt' } }] };
    seen.push(req);
    return { text: 'touched' };
  };
}

/** A promise with its resolve function, for holding a fake turn until the test lets it go. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Waits until the engine has recorded the step `name` of a remote agent of run `runId`. */
export async function stepRecorded(url: string, runId: string, name: string, timeoutMs = 60_000): Promise<void> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await c.query(
        `SELECT 1 FROM dbos.operation_outputs WHERE workflow_uuid LIKE $1 AND function_name = $2 AND error IS NULL`,
        [`dwf:${runId}:%`, name],
      );
      if (r.rowCount) return;
      if (Date.now() > until) throw new Error(`step '${name}' of run ${runId} not recorded in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await c.end();
  }
}

/** The run id and the worker that started agent `label` (from the workers' logs). */
export async function whoRuns(
  workers: Dwf[],
  label: string,
  timeoutMs = 60_000,
): Promise<{ worker: Dwf; runId: string }> {
  const re = new RegExp(`\\[${label}\\] agent \\S+ of run (\\S+) started`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const w of workers) {
      const m = re.exec(w.stderr);
      if (m) return { worker: w, runId: m[1] };
    }
    if (Date.now() > until) throw new Error(`no worker started ${label}:\n${workers.map((w) => w.stderr).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The usual set-up of a remote test: `n` workers joined, and `script` committed as flow.js. */
export async function flowOnWorkers(f: RemoteFixture, script: string, n = 1): Promise<Dwf[]> {
  const workers = await startWorkers(f, n);
  f.repo.write('flow.js', script);
  commit(f.repo, 'flow');
  return workers;
}
