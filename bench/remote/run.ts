// Remote agents benchmark (issue 13), on the real engine (PostgreSQL from the system packages,
// fsync on, 127.0.0.1), the shipped `dwf` and the fake model in this process:
//   (a) throughput of CPU-heavy agents (each runs one CPU-bound Bash command, then answers) on one
//       worker against two (each worker runs one agent at a time): the ratio of wall times;
//   (b) the per-agent overhead of the engine: the same sequential run of small agents (one tool
//       call, two turns) local and remote, (remote − local) / agents;
//   (c) what waiting costs the engine: a conductor with WAITING_AGENTS remote agents on the queue
//       and no worker, the engine's transactions per second (pg_stat_database) over a few seconds.
// Prints a table and one final JSON line. Numbers depend on the machine's cores and load (printed).
//   npm run bench:remote [-- --quick]
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { assistantTurns, FakeAnthropicServer, firstUserText } from '../../test/fakes/fakeAnthropic';
import { describeExit, dwf, ensureBuilt, runDwf, tempRepo, type Dwf } from '../../test/unit/cli-e2e/harness';
import { commit, startWorkers, type RemoteFixture } from '../../test/remote/harness';
import { startEngine } from '../../test/remote/engine';

const quick = process.argv.includes('--quick');
const CPU_AGENTS = quick ? 4 : 8;
const SMALL_AGENTS = quick ? 4 : 10;
const WAITING_AGENTS = quick ? 20 : 100;
const WAITING_SECONDS = 5;
// About a second of one core: sha256 of 400 MB of zeros.
const CPU_COMMAND = 'head -c 400000000 /dev/zero | sha256sum';

const CPU_SCRIPT = `export const meta = { name: 'bench-cpu', description: 'CPU-heavy agents' }
return await parallel(Array.from({ length: args.n }, (_, i) => () => agent('cpu ' + i, { label: 'cpu' + i })))`;
const SMALL_SCRIPT = `export const meta = { name: 'bench-small', description: 'small agents one after another' }
const out = []
for (let i = 0; i < args.n; i++) out.push(await agent('small ' + i, { label: 'small' + i }))
return out.length`;

async function timed(f: RemoteFixture, argv: string[]): Promise<number> {
  const t0 = performance.now();
  const exit = await runDwf(f.repo, argv, { server: f.server });
  if (exit.code !== 0) throw new Error(`dwf ${argv.join(' ')} failed: ${describeExit(exit)}`);
  return (performance.now() - t0) / 1000;
}

/** Transactions per second on the engine while `n` remote agents wait on the queue for a worker. */
async function waitingLoad(f: RemoteFixture, argv: string[], n: number): Promise<number> {
  const { Client } = await import('pg');
  const db = new Client({ connectionString: f.engine.url });
  await db.connect();
  const queued = async () =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM dbos.workflow_status WHERE status = 'ENQUEUED'`))
        .rows[0].n,
    );
  const commits = async () => {
    // The statistics are a snapshot per transaction: cleared so each read is fresh.
    await db.query('SELECT pg_stat_clear_snapshot()');
    return Number(
      (
        await db.query<{ n: string }>(
          `SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`,
        )
      ).rows[0].n,
    );
  };
  const before = await queued();
  const conductor = dwf(f.repo, [...argv, '--args', JSON.stringify({ n })], { server: f.server });
  try {
    const deadline = Date.now() + 60_000;
    while ((await queued()) < before + n) {
      if (Date.now() > deadline) throw new Error(`only ${(await queued()) - before} of ${n} agents reached the queue`);
      await new Promise((res) => setTimeout(res, 200));
    }
    await new Promise((res) => setTimeout(res, 1000)); // past the start
    const c0 = await commits();
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, WAITING_SECONDS * 1000));
    const c1 = await commits();
    // This client's own two statements per read count too: not worth subtracting.
    return (c1 - c0) / ((performance.now() - t0) / 1000);
  } finally {
    conductor.child.kill('SIGINT'); // stops the run: its agents are cancelled on the engine
    await conductor.exited;
    await db.end();
  }
}

async function stopWorkers(workers: Dwf[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

async function main(): Promise<void> {
  ensureBuilt();
  const engine = await startEngine({ fsync: true });
  const server = await FakeAnthropicServer.start({ apiKey: 'test' });
  server.respond((req) => {
    const prompt = firstUserText(req.body);
    if (assistantTurns(req.body) > 0) return { text: 'ok' };
    return { toolUses: [{ name: 'Bash', input: { command: prompt.startsWith('cpu') ? CPU_COMMAND : 'true' } }] };
  });
  const repo = tempRepo();
  const f: RemoteFixture = { engine, server, repo, workers: [] };
  try {
    repo.write('cpu.js', CPU_SCRIPT);
    repo.write('small.js', SMALL_SCRIPT);
    commit(repo, 'bench');
    const init = await runDwf(repo, ['engine', 'init', '--engine', engine.url]);
    if (init.code !== 0) throw new Error(describeExit(init));
    // The conductor lets every agent wait at once: the workers, not its slots, set the pace.
    const remoteFlags = (concurrency: number) => [
      '--json',
      '--yes',
      '--concurrency',
      String(concurrency),
      '--agents',
      'remote',
      '--engine',
      engine.url,
    ];
    const remote = remoteFlags(16);

    process.stderr.write(`(c) ${WAITING_AGENTS} remote agents waiting for a worker, ${WAITING_SECONDS} s…\n`);
    const waitingTps = await waitingLoad(f, ['run', 'cpu.js', ...remoteFlags(WAITING_AGENTS)], WAITING_AGENTS);
    if (process.argv.includes('--waiting-only')) {
      process.stdout.write(
        `engine transactions per second, ${WAITING_AGENTS} agents waiting: ${waitingTps.toFixed(0)}\n`,
      );
      return;
    }

    process.stderr.write(`(b) ${SMALL_AGENTS} small agents one after another, local then remote…\n`);
    const local = await timed(f, ['run', 'small.js', '--json', '--yes', '--args', JSON.stringify({ n: SMALL_AGENTS })]);
    let workers = await startWorkers(f, 1, {}, ['--concurrency', '1']);
    const remoteSmall = await timed(f, ['run', 'small.js', ...remote, '--args', JSON.stringify({ n: SMALL_AGENTS })]);

    process.stderr.write(`(a) ${CPU_AGENTS} CPU-heavy agents on one worker…\n`);
    const one = await timed(f, ['run', 'cpu.js', ...remote, '--args', JSON.stringify({ n: CPU_AGENTS })]);
    await stopWorkers(workers);
    f.workers = [];
    process.stderr.write(`(a) the same on two workers…\n`);
    workers = await startWorkers(f, 2, {}, ['--concurrency', '1']);
    const two = await timed(f, ['run', 'cpu.js', ...remote, '--args', JSON.stringify({ n: CPU_AGENTS })]);
    await stopWorkers(workers);

    const overheadMs = ((remoteSmall - local) / SMALL_AGENTS) * 1000;
    const load = os.loadavg()[0];
    const rows = [
      [
        'CPU-heavy agents, 1 worker',
        `${CPU_AGENTS} agents`,
        `${one.toFixed(1)} s`,
        `${(CPU_AGENTS / one).toFixed(2)} agents/s`,
      ],
      [
        'CPU-heavy agents, 2 workers',
        `${CPU_AGENTS} agents`,
        `${two.toFixed(1)} s`,
        `${(CPU_AGENTS / two).toFixed(2)} agents/s`,
      ],
      ['small agents, local', `${SMALL_AGENTS} agents`, `${local.toFixed(1)} s`, ''],
      ['small agents, remote (1 worker)', `${SMALL_AGENTS} agents`, `${remoteSmall.toFixed(1)} s`, ''],
    ];
    for (const row of rows)
      process.stdout.write(`${row[0].padEnd(34)} ${row[1].padEnd(10)} ${row[2].padStart(8)}  ${row[3]}\n`);
    process.stdout.write(`throughput ratio 2 workers / 1 worker: ${(one / two).toFixed(2)}\n`);
    process.stdout.write(`engine overhead per agent (remote − local): ${overheadMs.toFixed(0)} ms\n`);
    process.stdout.write(
      `engine transactions per second, ${WAITING_AGENTS} agents waiting for a worker: ${waitingTps.toFixed(0)}\n`,
    );
    process.stdout.write(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)}\n`);
    process.stdout.write(
      JSON.stringify({
        cpuAgents: CPU_AGENTS,
        oneWorkerS: one,
        twoWorkersS: two,
        ratio: one / two,
        smallAgents: SMALL_AGENTS,
        localS: local,
        remoteS: remoteSmall,
        overheadMsPerAgent: overheadMs,
        waitingAgents: WAITING_AGENTS,
        waitingTransactionsPerS: waitingTps,
        cores: os.cpus().length,
        load,
      }) + '\n',
    );
  } finally {
    for (const w of f.workers) w.child.kill('SIGKILL');
    await server.close();
    engine.stop();
    repo.cleanup();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
