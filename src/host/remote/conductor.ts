// The conductor's side of remote agents: a runner that enqueues an agent on the engine under its
// journal key (enqueuing it again — a resumed run — gets the same workflow, never a second one),
// answers its approvals from here, and takes back its result and patch. Other agents run locally.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DBOSClient, Error as DBOSErrors } from '@dbos-inc/dbos-sdk';
import { Pool } from 'pg';
import type { AgentOutcome, AgentProgress, AgentRequest, AgentRunner, Approver, TokenUsage } from '../../core';
import { AgentPoll } from './agentPoll';
import { answerQuestion, forgetQuestions, withdrawQuestions } from './approvals';
import { liveWorkers } from './heartbeat';
import { dbosEngineUrl, maskEngineUrl } from './engineUrl';
import { forgetProgress, usageNotYetCounted } from './progress';
import { keepTranscript } from './transcripts';
import { packageVersion } from '../packageVersion';
import { untilAborted } from '../../shared/abort';
import { addUsage, zeroUsage } from '../../shared/usage';
import {
  APP_NAME,
  QUEUE,
  WORKFLOW,
  dwfVersion,
  workflowIdOf,
  type RemoteAgentResult,
  type RemoteAgentSpec,
} from './protocol';

export interface RemoteRunnerOptions {
  url: string;
  /** 'all': every agent of the run is remote (`--agents remote`); 'marked': only isolation: 'remote'. */
  mode: 'all' | 'marked';
  workspaceRoot: string;
  /** Where a patch that did not apply is kept (`<runs>/<runId>/patches`). */
  runsDir: string;
  approver: Approver;
  interactive: boolean;
  yes: boolean;
  allow: string[];
  model?: string;
  headlessHint: string;
  /** Takes a remote agent's changes into the workspace (dwf: git apply; VS Code: WorkspaceEdits, credited to `agent`). */
  applyPatch(patch: string, agent: { runId: string; agentId: string }): Promise<'applied' | 'already'>;
  env: Readonly<Record<string, string | undefined>>;
  log(message: string): void;
  /** How often approvals and progress are looked for (ms). */
  pollMs?: number;
  /** dwf's version (the host's own); absent: read from the package this code was loaded from. */
  version?: string;
}

interface Engine {
  client: DBOSClient;
  pool: Pool;
  base: string;
  /** One poll follows all of this runner's remote agents. */
  poll: AgentPoll;
}

/** What the conductor has taken of one remote agent's live events so far. */
interface LiveCount {
  usage: TokenUsage;
  /** The last progress row read. */
  seen: string;
}

/** How often a waiting conductor shows it is still there for its agents' questions (ms). */
const PRESENT_MS = 5000;

/** The engine could not be reached or refuses this conductor; the message never holds the password. */
export class EngineError extends Error {
  override name = 'EngineError';
}

export class RemoteRunner<
  R extends AgentRunner & { close?(): void | Promise<void>; costUsd?(): number | undefined },
> implements AgentRunner {
  private engine?: Promise<Engine>;
  /** Dollars spent by this run's remote agents (their outcomes' usage). */
  private remoteSpent = 0;
  /** Agents being stopped on the engine: close() waits for them (the run ends before they settle). */
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly local: R,
    private readonly o: RemoteRunnerOptions,
  ) {}

  remoteAgents(): boolean {
    return true;
  }

  agentTypes(): string[] | undefined {
    return this.local.agentTypes?.();
  }

  costUsd(): number | undefined {
    const local = this.local.costUsd?.();
    return local === undefined && !this.remoteSpent ? undefined : (local ?? 0) + this.remoteSpent;
  }

  /** Connects now (so `--agents remote` fails before the run with a clear message). */
  async connect(): Promise<void> {
    await this.ready();
  }

  async run(request: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome> {
    if (this.o.mode === 'marked' && request.options.isolation !== 'remote')
      return this.local.run(request, signal, progress);
    let engine: Engine;
    try {
      engine = await this.ready();
    } catch (e) {
      return { kind: 'error', error: { name: 'Error', message: (e as Error).message } };
    }
    const id = workflowIdOf(request.runId, request.key ?? request.agentId, request.attempt);
    const spec: RemoteAgentSpec = {
      runId: request.runId,
      agentId: request.agentId,
      index: request.index,
      attempt: request.attempt,
      label: request.label,
      prompt: request.prompt,
      options: request.options,
      baseCommit: engine.base,
      model: this.o.model,
      allow: this.o.allow,
      interactive: this.o.interactive,
      yes: this.o.yes,
      headlessHint: this.o.headlessHint,
    };
    const live: LiveCount = { usage: zeroUsage(), seen: '0' };
    const result = await this.await(engine, id, spec, signal, progress, live);
    const { outcome } = result;
    if (result.transcript !== undefined) this.keepTranscript(request, result.transcript);
    if (outcome.usage) {
      this.remoteSpent += outcome.usage.costUsd ?? 0;
      // The live events counted part of it already: only the rest goes to the run.
      const rest = usageNotYetCounted(outcome.usage, live.usage);
      if (rest) progress.usage?.(rest);
    }
    if (outcome.kind === 'done' && outcome.model) progress.model?.(outcome.model);
    if (!result.patch) return outcome;
    try {
      const how = await this.o.applyPatch(result.patch, { runId: request.runId, agentId: request.agentId });
      this.o.log(
        `[${request.label}] ${how === 'applied' ? 'applied' : 'already had'} the changes of worker ${result.worker}`,
      );
      return outcome;
    } catch (e) {
      const dir = path.join(this.o.runsDir, request.runId, 'patches');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${request.agentId}.patch`);
      fs.writeFileSync(file, result.patch);
      return {
        kind: 'error',
        error: {
          name: 'Error',
          message: `the remote agent's changes do not apply to the workspace (${oneLine((e as Error).message)}); the patch is kept at ${file}`,
        },
        usage: outcome.usage,
      };
    }
  }

  private keepTranscript(request: AgentRequest, text: string): void {
    try {
      keepTranscript(this.o.runsDir, request, text);
    } catch (e) {
      this.o.log(`[${request.label}] the transcript could not be kept: ${(e as Error).message}`);
    }
  }

  private async await(
    engine: Engine,
    id: string,
    spec: RemoteAgentSpec,
    signal: AbortSignal,
    progress: AgentProgress,
    live: LiveCount,
  ): Promise<RemoteAgentResult> {
    if (signal.aborted) throw signal.reason as Error;
    await this.resumeIfStopped(engine, id, spec.label);
    const handle = await engine.client.enqueue<(s: RemoteAgentSpec) => Promise<RemoteAgentResult>>(
      { queueName: QUEUE, workflowName: WORKFLOW, workflowID: id, appVersion: this.version() },
      spec,
    );
    const answered = new Set<string>();
    let asking = Promise.resolve();
    let end!: () => void;
    let fail!: (e: Error) => void;
    const ended = new Promise<void>((resolve, reject) => ((end = resolve), (fail = reject)));
    void ended.catch(() => undefined);
    const unwatch = engine.poll.watch(id, live.seen, {
      progress: (events, last) => {
        live.seen = last;
        for (const e of events) {
          if (e.kind === 'tool') progress.tool?.(e.name);
          else if (e.kind === 'model') progress.model?.(e.id);
          else {
            live.usage = addUsage(live.usage, e.delta);
            progress.usage?.(e.delta);
          }
        }
      },
      // One question at a time per agent, in the order asked; the others wait their turn.
      questions: (open) => {
        for (const q of open) {
          if (answered.has(q.seq)) continue;
          answered.add(q.seq);
          asking = asking.then(async () => {
            const ask = this.o.approver.approveCommand(q.request);
            const answer = await untilAborted(progress.awaitPerson ? progress.awaitPerson(ask) : ask, signal);
            // The worker has no workspace of the person's to save rules in: an "always" counts once.
            await answerQuestion(engine.pool, id, q.seq, answer === 'deny' ? 'deny' : 'once');
          });
          asking.catch((e: Error) => fail(e));
        }
      },
      finished: end,
      failed: fail,
    });
    // At once, not when the poll notices: the run ends (and closes this runner) right after the abort.
    let over = false;
    const onAbort = () => {
      if (over) return;
      const stopping = this.stopRemote(engine, id, spec.label).finally(() => this.stopping.delete(stopping));
      this.stopping.add(stopping);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort(); // while it was being enqueued
    try {
      await untilAborted(ended, signal);
    } finally {
      over = true;
      signal.removeEventListener('abort', onAbort);
      unwatch();
    }
    let result: RemoteAgentResult;
    try {
      // The workflow has ended: DBOS reads its result at once.
      result = await handle.getResult();
    } catch (e) {
      // Its worker gave up a question while this conductor was away (asleep, say): it goes on now.
      if (e instanceof DBOSErrors.DBOSAwaitedWorkflowCancelledError && !signal.aborted)
        return this.await(engine, id, spec, signal, progress, live);
      throw e;
    }
    // Tidy only: rows left behind by a failure here cost a little space, nothing else.
    await forgetQuestions(engine.pool, id).catch(() => undefined);
    await forgetProgress(engine.pool, id).catch(() => undefined);
    return result;
  }

  /**
   * The run was stopped: the agent stops on its worker too (DBOS cancels the workflow; the worker
   * cuts off its turn or command in flight, which is not recorded) and its open questions are
   * withdrawn, so nothing is spent for a run nobody conducts. A resume continues it.
   */
  private async stopRemote(engine: Engine, id: string, label: string): Promise<void> {
    try {
      await engine.client.cancelWorkflow(id);
      await withdrawQuestions(engine.pool, id);
      this.o.log(`[${label}] stopped on its worker; a resume continues it from its last finished turn`);
    } catch (e) {
      this.o.log(
        `[${label}] could not be stopped on its worker (${maskEngineUrl((e as Error).message, this.o.url)}): it goes on, and a resume takes its result`,
      );
    }
  }

  /** A stopped run's agent, cancelled on the engine, continues from its last recorded step. */
  private async resumeIfStopped(engine: Engine, id: string, label: string): Promise<void> {
    const status = await engine.client.getWorkflow(id);
    if (status?.status !== 'CANCELLED') return;
    await engine.client.resumeWorkflow(id, { queueName: QUEUE });
    this.o.log(`[${label}] continues on a worker from its last finished turn`);
  }

  private version(): string {
    return dwfVersion(this.o.env, this.o.version ?? packageVersion());
  }

  private ready(): Promise<Engine> {
    this.engine ??= this.open().catch((e: unknown) => {
      throw new EngineError(maskEngineUrl((e as Error).message, this.o.url));
    });
    return this.engine;
  }

  private async open(): Promise<Engine> {
    const pool = new Pool({ connectionString: this.o.url, max: 2, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      // No cause: pg's errors may quote the connection string; the message is masked instead.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`cannot reach the remote engine: ${(e as Error).message}`);
    }
    const version = this.version();
    let workers: { executorId: string; version: string }[];
    try {
      workers = await liveWorkers(pool, 5000);
    } catch (e) {
      await pool.end().catch(() => undefined);
      // No cause: pg's errors may quote the connection string; the message is masked instead.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`the remote engine is not set up for dwf (run 'dwf engine init' once): ${(e as Error).message}`);
    }
    const others = [...new Set(workers.filter((w) => w.version !== version).map((w) => w.version))];
    if (workers.length && others.length && !workers.some((w) => w.version === version)) {
      await pool.end().catch(() => undefined);
      throw new Error(
        `the engine's workers run dwf ${others.join(', ')}, this dwf is ${version}: start workers of dwf ${version} (a worker runs only agents of its own version).`,
      );
    }
    if (!workers.length) this.o.log(`no dwf worker is connected to the engine yet: remote agents wait in the queue`);
    const base = await headCommit(this.o.workspaceRoot);
    const client = await DBOSClient.create({ systemDatabaseUrl: dbosEngineUrl(this.o.url), applicationName: APP_NAME });
    const poll = new AgentPoll(pool, client, { pollMs: this.o.pollMs ?? 300, presentMs: PRESENT_MS });
    return { client, pool, base, poll };
  }

  async close(): Promise<void> {
    await Promise.all(this.stopping);
    await this.local.close?.();
    const engine = await this.engine?.catch(() => undefined);
    if (!engine) return;
    await engine.poll.close();
    await engine.client.destroy().catch(() => undefined);
    await engine.pool.end().catch(() => undefined);
  }
}

function headCommit(root: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }, (err, out) =>
      err
        ? reject(new Error(`remote agents start from a commit, but ${root} has none: commit your work first`))
        : resolve(out.trim()),
    ),
  );
}

/** git's lines joined, so the reason reads as one sentence in agent()'s error. */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}
