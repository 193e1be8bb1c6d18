// `dwf worker` and `dwf engine init`: the remote engine's side of the CLI. The engine code
// (src/host/remote, DBOS and pg) loads only for these commands and for runs that use remote agents.
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommand, positiveInt, str, UsageError } from '../args';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected } from '../errors';
import { EXIT } from '../summary';

function engineUrl(values: Record<string, unknown>, io: CliIo, command: string): string {
  const flag = typeof values.engine === 'string' ? values.engine : undefined;
  const url = (flag ?? io.env.DWF_ENGINE_URL)?.trim();
  if (!url) throw new UsageError('needs the engine: --engine <postgres url> or DWF_ENGINE_URL', command);
  return url;
}

export async function workerCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(
    'worker',
    argv,
    { engine: { type: 'string' }, repo: { type: 'string' }, concurrency: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  if (values.help) return printHelp(io, HELP.worker);
  const url = engineUrl(values, io, 'worker');
  const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) throw new Rejected('ANTHROPIC_API_KEY is not set: a worker calls the model for its agents.');
  const repo = repoRoot(path.resolve(io.cwd, str(values, 'repo') ?? '.'));
  const concurrency = positiveInt(values, 'concurrency', 'worker') ?? Math.max(1, os.availableParallelism());
  const { startWorker } = await import('../../host/remote/worker');
  const { packageVersion } = await import('../../host/packageVersion');
  const log = (m: string) => io.stderr.write(`${m}\n`);
  let worker;
  try {
    worker = await startWorker({
      url,
      version: packageVersion(),
      repo,
      concurrency,
      apiKey,
      baseURL: io.env.ANTHROPIC_BASE_URL?.trim() || undefined,
      env: io.env,
      log,
      ...timingOverrides(io.env),
    });
  } catch (e) {
    throw new Rejected(`dwf worker: ${(e as Error).message}`);
  }
  const offs: (() => void)[] = [];
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const off = io.onSignal?.(sig, () => resolve());
      if (off) offs.push(off);
    }
    if (!offs.length) resolve();
  });
  for (const off of offs) off();
  log('dwf worker: stopping (its running agents are taken over by another worker)');
  await worker.stop();
  return EXIT.completed;
}

export async function engineCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    'engine',
    argv,
    { engine: { type: 'string' } },
    {
      min: 1,
      max: 1,
      names: "the engine action ('init')",
    },
  );
  if (values.help) return printHelp(io, HELP.engine);
  if (positionals[0] !== 'init') throw new UsageError(`unknown action ${JSON.stringify(positionals[0])}`, 'engine');
  const url = engineUrl(values, io, 'engine');
  const { migrateEngine } = await import('../../host/remote/schema');
  const { maskEngineUrl, maskedUrl } = await import('../../host/remote/engineUrl');
  try {
    await migrateEngine(url);
  } catch (e) {
    throw new Rejected(`dwf engine init: ${maskEngineUrl((e as Error).message, url)}`);
  }
  io.stderr.write(`engine ready at ${maskedUrl(url)}\n`);
  return EXIT.completed;
}

function repoRoot(dir: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    throw new Rejected(
      `dwf worker: ${dir} is not in a git repository; pass --repo with a clone of the repository the runs use.`,
    );
  }
}

/**
 * Test-only: DWF_WORKER_HEARTBEAT_MS / DWF_WORKER_STALE_MS shorten dead-worker pickup,
 * DWF_WORKER_QUESTION_WAIT_MS the wait on a question whose conductor is gone.
 */
function timingOverrides(env: CliIo['env']): { heartbeatMs?: number; staleMs?: number; questionWaitMs?: number } {
  const n = (v: string | undefined) => (v && /^[1-9]\d*$/.test(v) ? Number(v) : undefined);
  return {
    heartbeatMs: n(env.DWF_WORKER_HEARTBEAT_MS),
    staleMs: n(env.DWF_WORKER_STALE_MS),
    questionWaitMs: n(env.DWF_WORKER_QUESTION_WAIT_MS),
  };
}
