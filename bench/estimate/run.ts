// Estimate benchmark (issue 11 item 6): each workflow of workflows.ts runs twice through the real
// `dwf` binary against the fake Messages API; before each run `dwf estimate --json` projects it.
// The first projection rests on the static estimate (defaults per agent), the second on the first
// run's journal (basis "history"). Prints projected against actual agents and tokens; targets:
// exact agents where the args fix the fan-out, tokens within ±30 % with history. The exit code is
// non-zero when a run fails or a target is missed.
//   npm run bench:estimate
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from '../../test/unit/cli-e2e/harness';
import { FakeAnthropicServer } from '../../test/fakes/fakeAnthropic';
import type { PlanJson } from '../../src/core/estimate/planText';
import type { Range } from '../../src/core/estimate/range';
import { table } from '../engine/report';
import { benchModel } from './model';
import { WORKFLOWS, type BenchWorkflow } from './workflows';

const TOKEN_TOLERANCE = 0.3;

interface Row {
  workflow: string;
  run: number;
  basis: string;
  projectedAgents: Range;
  actualAgents: number;
  projectedTokens: Range;
  actualTokens: number;
  /** Actual against the middle of the projection. */
  tokenError: number;
  agentsOk: boolean;
  tokensOk: boolean;
}

const argv = (args: unknown) => ['--args', typeof args === 'string' ? args : JSON.stringify(args)];
const span = (r: Range) => (r.low === r.high ? String(r.low) : `${r.low}–${r.high}`);
const within = (r: Range, n: number) => r.low <= n && n <= r.high;

async function estimate(repo: Repo, wf: BenchWorkflow, args: unknown): Promise<PlanJson> {
  const exit = await runDwf(repo, ['estimate', wf.file, ...argv(args), '--json']);
  if (exit.code !== 0) throw new Error(`dwf estimate ${wf.file} failed: ${describeExit(exit)}`);
  return JSON.parse(exit.stdout) as PlanJson;
}

async function bench(wf: BenchWorkflow, server: FakeAnthropicServer): Promise<Row[]> {
  const repo = tempRepo();
  try {
    repo.write(wf.file, wf.source);
    for (const [name, text] of Object.entries(wf.extra ?? {})) repo.write(name, text);
    const rows: Row[] = [];
    for (const [i, args] of wf.args.entries()) {
      const plan = await estimate(repo, wf, args);
      const exit = await runDwf(repo, ['run', wf.file, ...argv(args), '--json'], { server });
      if (exit.code !== 0) throw new Error(`dwf run ${wf.file} failed: ${describeExit(exit)}`);
      const s = summaryOf(exit);
      const actualTokens = s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite + s.tokens.output;
      const projectedTokens = {
        low: plan.tokens.input.low + plan.tokens.output.low,
        high: plan.tokens.input.high + plan.tokens.output.high,
      };
      const middle = (projectedTokens.low + projectedTokens.high) / 2;
      const tokenError = middle ? (middle - actualTokens) / actualTokens : Infinity;
      rows.push({
        workflow: wf.name,
        run: i + 1,
        basis: plan.basis,
        projectedAgents: plan.agents,
        actualAgents: s.agents.total,
        projectedTokens,
        actualTokens,
        tokenError,
        agentsOk: wf.fixed
          ? plan.agents.low === s.agents.total && plan.agents.high === s.agents.total
          : within(plan.agents, s.agents.total),
        // Static token figures rest on defaults for real agents; the fake's agents are far smaller, so
        // only the history projection has a target.
        tokensOk: plan.basis === 'history' ? Math.abs(tokenError) <= TOKEN_TOLERANCE : true,
      });
    }
    return rows;
  } finally {
    repo.cleanup();
  }
}

async function main(): Promise<void> {
  ensureBuilt();
  const server = await FakeAnthropicServer.start({ apiKey: 'test', respond: benchModel });
  const rows: Row[] = [];
  try {
    for (const wf of WORKFLOWS) {
      process.stderr.write(`${wf.name}…\n`);
      rows.push(...(await bench(wf, server)));
    }
  } finally {
    await server.close();
  }
  const k = (n: number) =>
    n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
  process.stdout.write(
    table([
      ['WORKFLOW', 'RUN', 'BASIS', 'AGENTS PROJECTED', 'ACTUAL', 'OK', 'TOKENS PROJECTED', 'ACTUAL', 'ERROR', 'OK'],
      ...rows.map((r) => [
        r.workflow,
        String(r.run),
        r.basis,
        span(r.projectedAgents),
        String(r.actualAgents),
        r.agentsOk ? 'yes' : 'NO',
        r.projectedTokens.low === r.projectedTokens.high
          ? k(r.projectedTokens.low)
          : `${k(r.projectedTokens.low)}–${k(r.projectedTokens.high)}`,
        k(r.actualTokens),
        r.basis === 'history'
          ? `${r.tokenError >= 0 ? '+' : ''}${(r.tokenError * 100).toFixed(1)} %`
          : within(r.projectedTokens, r.actualTokens)
            ? 'in range'
            : r.actualTokens < r.projectedTokens.low
              ? 'below'
              : 'above',
        r.basis === 'history' ? (r.tokensOk ? 'yes' : 'NO') : '—',
      ]),
    ]) + '\n',
  );
  const missed = rows.filter((r) => !r.agentsOk || !r.tokensOk);
  const fixed = rows.filter((r) => WORKFLOWS.find((w) => w.name === r.workflow)?.fixed);
  const history = rows.filter((r) => r.basis === 'history');
  process.stdout.write(
    `exact agents where args fix the fan-out: ${fixed.filter((r) => r.agentsOk).length}/${fixed.length} runs; ` +
      `tokens within ±${TOKEN_TOLERANCE * 100} % with history: ${history.filter((r) => r.tokensOk).length}/${history.length} runs ` +
      `(largest error ${(Math.max(...history.map((r) => Math.abs(r.tokenError))) * 100).toFixed(1)} %)\n`,
  );
  process.stdout.write(JSON.stringify({ rows: rows.length, missed: missed.length }) + '\n');
  if (missed.length) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
