// Drives one run from start to exit code, shared by `run` and `resume`: runner, engine, progress
// display, Ctrl+C, and the report at the end.
import {
  RunTrace,
  ScriptError,
  WorkflowEngine,
  registryResolver,
  type RunPlan,
  type RunSettings,
  type WorkflowRun,
} from '../../core';
import type { CliIo, OutStream } from '../io';
import type { CliRunner } from '../runnerFactory';
import type { CliWorkspace } from '../workspace';
import type { RunFlags } from './runFlags';
import type { GateContext } from '../largeRunGate';
import { LiveView } from '../liveView';
import { PlainProgress, type ProgressView } from '../progress';
import { Rejected, formatScriptError } from '../errors';
import { afterLines, exitCode, jsonSummary, resultText, summaryLine, type AgentWorktreeSummary } from '../summary';

export interface Launch {
  ws: CliWorkspace;
  flags: RunFlags;
  /** How a ScriptError from start() names the script. */
  scriptDisplay: string;
  start(engine: WorkflowEngine, settings: RunSettings): WorkflowRun;
  /** Makes the run's priced plan, after the start (the engine keeps it in run.json; a failure is no plan). */
  plan?: () => Promise<RunPlan | undefined>;
  /** Asks before a large run (largeRunGate.ts); throws Rejected when it may not start. */
  confirm?: (ctx: GateContext) => Promise<void>;
}

export async function execute(io: CliIo, launch: Launch): Promise<number> {
  const { ws, flags } = launch;
  const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) {
    throw new Rejected(
      'ANTHROPIC_API_KEY is not set. Export your Anthropic API key (and ANTHROPIC_BASE_URL for a gateway) and run again; no agent was started.',
    );
  }

  // Progress goes to stdout on a terminal, else to stderr so stdout carries only the result.
  const out: OutStream = !flags.json && io.stdout.isTTY ? io.stdout : io.stderr;
  const interactive = !!io.stdin?.isTTY && !!out.isTTY && !io.env.CI;
  // Before the runner and the engine: a refused run leaves no process, folder or journal behind.
  await launch.confirm?.({ out, interactive: interactive && !flags.json });
  let view: ProgressView | undefined;
  let runner: CliRunner;
  try {
    runner = await io.createRunner({
      workspaceRoot: ws.root,
      runsDir: ws.store.root,
      personal: { configDir: ws.configDir, home: ws.home },
      pluginDirs: ws.registry.pluginDirs ? [...ws.registry.pluginDirs] : [],
      model: flags.model,
      allow: flags.allow,
      yes: flags.yes,
      interactive,
      apiKey,
      baseURL: io.env.ANTHROPIC_BASE_URL?.trim() || undefined,
      concurrency: flags.concurrency,
      worktreeBase: flags.worktreeBase,
      suspendProgress: (fn) => (view ? view.suspend(fn) : fn()),
      engineUrl: (flags.engine ?? io.env.DWF_ENGINE_URL)?.trim() || undefined,
      agents: flags.agents,
      env: io.env,
    });
  } catch (e) {
    throw new Rejected(`cannot start agents: ${(e as Error).message}`);
  }

  const engine = new WorkflowEngine({ runner, store: ws.store, resolveWorkflow: registryResolver(ws.registry) });
  let run: WorkflowRun;
  try {
    const limits = flags.sliceMs === undefined ? undefined : { sliceMs: flags.sliceMs };
    run = launch.start(engine, {
      concurrency: flags.concurrency,
      budgetTotal: flags.budget ?? null,
      limits,
      caps: flags.caps,
      plan: launch.plan,
    });
  } catch (e) {
    await runner.close?.();
    if (e instanceof ScriptError) throw new Rejected(formatScriptError(e, launch.scriptDisplay));
    throw new Rejected((e as Error).message);
  }

  const trace = new RunTrace();
  const shown: ProgressView = out.isTTY
    ? new LiveView(out, trace, { costUsd: () => runner.costUsd?.() })
    : new PlainProgress(out, trace);
  view = shown;
  const worktrees = new Map<string, AgentWorktreeSummary>();
  run.events.subscribe((batch) => {
    trace.apply(batch);
    shown.events(batch);
    for (const e of batch)
      if (e.type === 'agent' && e.worktree)
        worktrees.set(e.agentId, { agentId: e.agentId, label: e.label, ...e.worktree });
  });
  // Stopping keeps every finished agent in the journal, so the resume command loses nothing.
  const offs = (['SIGINT', 'SIGTERM'] as const).map((sig) => io.onSignal?.(sig, () => run.stop()));
  let result;
  try {
    result = await run.done;
  } finally {
    for (const off of offs) off?.();
    shown.finish();
    await runner.close?.();
  }

  const cost = runner.costUsd?.();
  const report = out.isTTY ? afterLines(result) : [summaryLine(result, cost), ...afterLines(result)];
  io.stderr.write(report.map((l) => l + '\n').join(''));
  if (flags.json) io.stdout.write(JSON.stringify(jsonSummary(result, cost, [...worktrees.values()])) + '\n');
  else {
    const text = resultText(result.result);
    if (text !== undefined) io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
  return exitCode(result.status);
}
