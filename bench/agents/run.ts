// Agents benchmark (issue 3): in one run, against one fake Messages API server with zero latency
// running in its own process,
//   (a) 1000 trivial agents through the real `dwf run` (the shipped binary, spawned; a workflow
//       `parallel` of 1000 agents, --concurrency 16, --json), against
//   (b) a plain Node loop of the same 1000 SDK `messages.stream(...).finalMessage()` calls with a
//       concurrency limit of 16 (same request bodies, same server, also a spawned process),
//       and the ratio of their wall times (target ≤ 1.5);
//   (c) the fraction of input tokens served from the prompt cache for a 50-agent fan-out whose
//       agents share a prefix (system prompt and tools), from dwf's --json tokens:
//       cacheRead / (input + cacheRead + cacheWrite).
// Prints tables to stdout, progress to stderr and one final JSON line. Targets are reported, not
// asserted; the exit code is non-zero only when a run fails or answers wrongly.
//   node out/bench/agents/run.js [--quick]      (after `node esbuild.mjs && npm run build:test`)
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, r, table } from '../engine/report';
import { CLI, childEnv, ensureBuilt, tempRepo, type Repo, type Summary } from '../../test/unit/cli-e2e/harness';
import type { ServerCommand, ServerStats } from './fakeServer';

const N = 1000;
const CONCURRENCY = 16;
const FANOUT = 50;
const TARGET_RATIO = 1.5;
const PREFIX = 'bench agent';

/** The workflow: `parallel` of args.n agents; prompt i is `${context}${prefix} ${i}: reply with ok`. */
const FAN_SCRIPT = `export const meta = { name: 'bench-fan', description: 'parallel fan-out of trivial agents' }
const { n, prefix, context } = args
return await parallel(Array.from({ length: n }, (_, i) => () => agent((context || '') + prefix + ' ' + i + ': reply with ok', { label: 'a' + i })))
`;

// ---- the fake server in a child process --------------------------------------------------------

class ServerProcess {
  readonly pid: number;
  private nextId = 1;
  private readonly pending = new Map<number, (m: Record<string, unknown>) => void>();
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.pid = child.pid!;
    child.on('message', (m: { id?: number }) => {
      const done = m.id !== undefined ? this.pending.get(m.id) : undefined;
      if (done) {
        this.pending.delete(m.id!);
        done(m as Record<string, unknown>);
      }
    });
  }

  static start(): Promise<ServerProcess> {
    const child = fork(path.join(__dirname, 'fakeServer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`fake server exited (${code})`)));
      child.once('message', (m: { ready?: boolean; url?: string }) =>
        m.ready ? resolve(new ServerProcess(child, m.url!)) : reject(new Error('bad hello')),
      );
    });
  }

  call(cmd: ServerCommand): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, cmd });
    });
  }

  async stats(): Promise<ServerStats> {
    return (await this.call('stats')).stats as ServerStats;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call('close');
    await exited;
  }
}

// ---- CPU of finished children (Linux: /proc/self/stat cutime + cstime) ------------------------

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** Fields 3… of /proc/<pid>/stat (after the parenthesised command name); undefined off Linux. */
function procStat(pid: number | 'self'): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU ms of the children this process has reaped so far (cutime + cstime); NaN off Linux. */
function reapedChildrenCpuMs(): number {
  const f = procStat('self');
  return f ? ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK : NaN;
}

/** User + system CPU ms a live process has used (utime + stime); NaN off Linux. */
function processCpuMs(pid: number): number {
  const f = procStat(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK : NaN;
}

interface Timed {
  wallMs: number;
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function timedSpawn(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Timed> {
  const cpu0 = reapedChildrenCpuMs();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ wallMs: performance.now() - t0, cpuMs: reapedChildrenCpuMs() - cpu0, code, stdout, stderr }),
    );
  });
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

// ---- the two sides -------------------------------------------------------------------------------

interface DwfRun extends Timed {
  summary: Summary;
}

/** The e2e tests' child environment: temp HOME and config dir, CI=1, key 'test', the fake's URL. */
const dwfEnv = (repo: Repo, url: string) => childEnv(repo, { env: { ANTHROPIC_BASE_URL: url } });

async function runDwf(
  repo: Repo,
  url: string,
  args: { n: number; prefix: string; context?: string },
  concurrency: number,
): Promise<DwfRun> {
  const t = await timedSpawn(
    [CLI, 'run', 'fan.js', '--json', '--concurrency', String(concurrency), '--args', JSON.stringify(args)],
    repo.root,
    dwfEnv(repo, url),
  );
  let summary: Summary;
  try {
    summary = JSON.parse(lastLine(t.stdout)) as Summary;
  } catch {
    throw new Error(`dwf run: no JSON summary (exit ${t.code})\n${t.stdout}\n${t.stderr.slice(-4000)}`);
  }
  if (t.code !== 0 || summary.status !== 'completed' || summary.agents.done !== args.n) {
    throw new Error(
      `dwf run did not complete all ${args.n} agents (exit ${t.code}): ${lastLine(t.stdout)}\n${t.stderr.slice(-4000)}`,
    );
  }
  const result = summary.result as string[];
  const wrong = result.findIndex((x, i) => x !== `echo:${args.context ?? ''}${args.prefix} ${i}: reply with ok`);
  if (wrong >= 0) throw new Error(`dwf run: wrong result for agent ${wrong}: ${JSON.stringify(result[wrong])}`);
  return { ...t, summary };
}

interface PlainRun extends Timed {
  loopMs: number;
  processMs: number;
}

async function runPlain(
  url: string,
  templateFile: string,
  n: number,
  concurrency: number,
  prefix: string,
): Promise<PlainRun> {
  const t = await timedSpawn(
    [path.join(__dirname, 'plainLoop.js'), url, templateFile, String(n), String(concurrency), prefix],
    process.cwd(),
    process.env,
  );
  const out = JSON.parse(lastLine(t.stdout) || '{}') as { n: number; ok: number; loopMs: number; processMs: number };
  if (t.code !== 0 || out.ok !== n)
    throw new Error(`plain loop failed (exit ${t.code}, ${out.ok}/${n} answers right)\n${t.stderr.slice(-4000)}`);
  return { ...t, loopMs: out.loopMs, processMs: out.processMs };
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : 5;
  const started = performance.now();
  const progress = (s: string) => process.stderr.write(s + '\n');
  const out = (s = '') => process.stdout.write(s + '\n');

  ensureBuilt();
  const server = await ServerProcess.start();
  const repo = tempRepo();
  repo.write('fan.js', FAN_SCRIPT);
  const templateFile = path.join(repo.tmp, 'request.json');
  try {
    out(
      `Agents benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${os.platform()} ${os.arch()}`,
    );
    out(
      `Fake Messages API in its own process, latency 0; ${N} trivial agents at concurrency ${CONCURRENCY}; ${rounds} round(s), both sides in each round (order alternating).`,
    );
    out('');

    // Warm-up: one small dwf run (its first request is the template the plain loop sends), one
    // small plain loop, so neither side pays first-time disk and JIT costs in the measurement.
    progress('warm-up…');
    await runDwf(repo, server.url, { n: FANOUT, prefix: 'warm-up' }, CONCURRENCY);
    const sample = (await server.call('sample')).body;
    if (!sample) throw new Error('the fake server recorded no request');
    fs.writeFileSync(templateFile, JSON.stringify(sample));
    await runPlain(server.url, templateFile, FANOUT, CONCURRENCY, 'warm-up');

    const dwfRuns: DwfRun[] = [];
    const plainRuns: PlainRun[] = [];
    const serverCpu: { dwf: number[]; plain: number[] } = { dwf: [], plain: [] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['dwf', 'plain'] as const) : (['plain', 'dwf'] as const);
      for (const side of order) {
        progress(`round ${i + 1}/${rounds}: ${side}…`);
        await server.call('reset');
        const cpu0 = processCpuMs(server.pid);
        if (side === 'dwf') dwfRuns.push(await runDwf(repo, server.url, { n: N, prefix: PREFIX }, CONCURRENCY));
        else plainRuns.push(await runPlain(server.url, templateFile, N, CONCURRENCY, PREFIX));
        serverCpu[side].push(processCpuMs(server.pid) - cpu0);
        const st = await server.stats();
        if (st.requests !== N || st.errors !== 0 || st.prompts !== N)
          throw new Error(`${side}: server saw ${JSON.stringify(st)}, expected ${N} distinct successful requests`);
      }
    }

    // (c) Prompt cache over a 50-agent fan-out: the shared prefix is dwf's system prompt and tool
    // definitions; a second run also puts a shared 8 000-character context at the start of each
    // prompt (one text block per prompt, so that part is not shared across agents).
    progress('cache fan-out…');
    await server.call('reset');
    const fan = await runDwf(repo, server.url, { n: FANOUT, prefix: 'fan-out agent' }, CONCURRENCY);
    await server.call('reset');
    const context = 'Shared context for every agent. '.repeat(250) + '\n\n';
    const fanCtx = await runDwf(repo, server.url, { n: FANOUT, prefix: 'fan-out agent', context }, CONCURRENCY);
    const cacheFraction = (s: Summary) =>
      s.tokens.cacheRead / (s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite);

    // ---- report ----------------------------------------------------------------------------
    // Each round runs both sides back to back, so a round's ratio compares like with like on a
    // machine whose load changes; the headline is the median of those paired ratios.
    const med = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
    const best = <T>(xs: T[], f: (x: T) => number) => Math.min(...xs.map(f));
    const paired = dwfRuns.map((d, i) => d.wallMs / plainRuns[i].wallMs);
    const ratio = median(paired);
    const side = (runs: Timed[], inside: number[], srv: number[]) => ({
      bestMs: best(runs, (x) => x.wallMs),
      medianMs: med(runs, (x) => x.wallMs),
      insideMs: median(inside),
      cpuMs: med(runs, (x) => x.cpuMs),
      serverCpuMs: median(srv),
      runsWallMs: runs.map((x) => r(x.wallMs, 0)),
    });
    const a = side(
      dwfRuns,
      dwfRuns.map((x) => x.summary.durationMs),
      serverCpu.dwf,
    );
    const b = side(
      plainRuns,
      plainRuns.map((x) => x.loopMs),
      serverCpu.plain,
    );
    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
    const x2 = (p: number, q: number) => (Number.isFinite(p / q) ? (p / q).toFixed(2) : 'n/a');
    out(`(a) vs (b): ${N} agents, concurrency ${CONCURRENCY} — wall = spawn → exit of the client process`);
    out(
      table([
        ['side', 'best wall ms', 'median wall ms', 'inside ms', 'client CPU ms', 'server CPU ms', 'runs (wall ms)'],
        [
          '(a) dwf run (spawned binary)',
          ms(a.bestMs),
          ms(a.medianMs),
          ms(a.insideMs),
          ms(a.cpuMs),
          ms(a.serverCpuMs),
          a.runsWallMs.join(' '),
        ],
        [
          '(b) plain SDK loop (spawned)',
          ms(b.bestMs),
          ms(b.medianMs),
          ms(b.insideMs),
          ms(b.cpuMs),
          ms(b.serverCpuMs),
          b.runsWallMs.join(' '),
        ],
        [
          '(a)/(b)',
          x2(a.bestMs, b.bestMs),
          x2(a.medianMs, b.medianMs),
          x2(a.insideMs, b.insideMs),
          x2(a.cpuMs, b.cpuMs),
          x2(a.serverCpuMs, b.serverCpuMs),
          paired.map((x) => x.toFixed(2)).join(' '),
        ],
      ]),
    );
    out(
      `ratio (median of the per-round paired wall ratios): ${ratio.toFixed(2)} — target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}`,
    );
    out(
      "inside: dwf's durationMs (run start → result) vs the loop alone (medians). CPU: user+sys of the client process (all threads) and of the fake server's process (medians).",
    );
    out(
      `load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs (other work on the machine inflates wall times).`,
    );
    out('');
    out(
      `(c) prompt cache, ${FANOUT}-agent fan-out (dwf --json tokens; fraction = cacheRead / (input + cacheRead + cacheWrite))`,
    );
    const row = (name: string, s: Summary) => [
      name,
      String(s.tokens.input),
      String(s.tokens.cacheRead),
      String(s.tokens.cacheWrite),
      (cacheFraction(s) * 100).toFixed(1) + '%',
    ];
    out(
      table([
        ['fan-out', 'input', 'cacheRead', 'cacheWrite', 'from cache'],
        row('shared prefix = system prompt + tools', fan.summary),
        row('+ 8k-char shared context in each prompt', fanCtx.summary),
      ]),
    );
    out('');

    const json = {
      bench: 'agents',
      node: process.version,
      cpus: os.cpus().length,
      agents: N,
      concurrency: CONCURRENCY,
      rounds,
      dwf: {
        ...a,
        bestMs: r(a.bestMs, 1),
        medianMs: r(a.medianMs, 1),
        insideMs: r(a.insideMs, 1),
        cpuMs: r(a.cpuMs, 0),
        serverCpuMs: r(a.serverCpuMs, 0),
      },
      plain: {
        ...b,
        bestMs: r(b.bestMs, 1),
        medianMs: r(b.medianMs, 1),
        insideMs: r(b.insideMs, 1),
        cpuMs: r(b.cpuMs, 0),
        serverCpuMs: r(b.serverCpuMs, 0),
      },
      ratio: r(ratio, 3),
      pairedRatios: paired.map((x) => r(x, 3)),
      bestRatio: r(a.bestMs / b.bestMs, 3),
      cpuRatio: r(a.cpuMs / b.cpuMs, 3),
      loadAvg: os.loadavg().map((x) => r(x, 2)),
      targetRatio: TARGET_RATIO,
      met: ratio <= TARGET_RATIO,
      cache: {
        agents: FANOUT,
        fraction: r(cacheFraction(fan.summary), 4),
        tokens: fan.summary.tokens,
        withSharedPromptContext: { fraction: r(cacheFraction(fanCtx.summary), 4), tokens: fanCtx.summary.tokens },
      },
      totalMs: r(performance.now() - started, 0),
    };
    out(JSON.stringify(json));
  } finally {
    await server.close().catch(() => undefined);
    repo.cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
