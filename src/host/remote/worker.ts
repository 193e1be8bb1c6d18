// `dwf worker`: one process of the pool. It dequeues remote agents from the engine, runs each in a
// fresh worktree at the run's base commit with the same tools and permission rules as a local
// agent (src/host/agentAssembly), records every model turn and tool call as a DBOS step, and
// returns the outcome and a patch of the agent's changes.
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DBOS, Error as DBOSErrors } from '@dbos-inc/dbos-sdk';
import { Pool } from 'pg';
import type { AgentOutcome, AgentProgress, ApprovalRequest, Approver } from '../../core';
import type { UnattendedApprover } from '../../agent/permissions';
import { recordThrow, reviveThrow, type DurableSteps, type RecordedThrow } from '../../agent/durable';
import { assembleAgentRunner } from '../agentAssembly';
import { personalFolder } from '../../core/registry';
import { AgentTree } from './agentTree';
import { askRemotely } from './approvals';
import { Heartbeat, reenqueueDeadExecutor } from './heartbeat';
import { dbosEngineUrl, maskEngineUrl } from './engineUrl';
import { publishProgress } from './progress';
import { takeTranscript } from './transcripts';
import {
  APP_NAME,
  QUEUE,
  WORKFLOW,
  dwfVersion,
  type RemoteAgentResult,
  type RemoteAgentSpec,
  type RemoteProgress,
} from './protocol';

export interface WorkerOptions {
  url: string;
  /** dwf's version (the CLI passes its own): workers run only agents of conductors of the same one. */
  version: string;
  /** The repository agents work on (a clone with the conductor's commits). */
  repo: string;
  /** Agents at once on this worker. */
  concurrency: number;
  apiKey: string;
  baseURL?: string;
  env: Readonly<Record<string, string | undefined>>;
  log(message: string): void;
  /** Heartbeat period and staleness (ms); tests may shorten them. */
  heartbeatMs?: number;
  staleMs?: number;
  /** How long an agent waits on a question whose conductor has gone silent (ms; default 10 minutes). */
  questionWaitMs?: number;
}

const QUESTION_WAIT_MS = 10 * 60_000;

export interface RunningWorker {
  executorId: string;
  stop(): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const version = dwfVersion(o.env, o.version);
  const executorId = `worker-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const pool = new Pool({ connectionString: o.url, max: 4 });
  pool.on('error', (e) => o.log(`engine connection: ${maskEngineUrl(e.message, o.url)}`));
  const stateDir = path.join(os.tmpdir(), `dwf-worker-${executorId}`);
  // The worker's own person: their sandbox settings, personal agents and CLAUDE.md, as dwf run reads them.
  const personal = personalFolder(o.env, o.repo);

  async function remoteAgent(spec: RemoteAgentSpec): Promise<RemoteAgentResult> {
    const workflowId = DBOS.workflowID ?? spec.agentId;
    o.log(`[${spec.label}] agent ${spec.agentId} of run ${spec.runId} started`);
    const tree = await AgentTree.create(o.repo, spec.baseCommit);
    // Progress is published from live steps only: a step replayed from the record is not news.
    const publish = (event: RemoteProgress) =>
      publishProgress(pool, workflowId, event).catch((e: unknown) =>
        o.log(`[${spec.label}] progress not published: ${maskEngineUrl((e as Error).message, o.url)}`),
      );
    let pendingTool: string | undefined;
    let turnLive = false;
    // Aborted when the conductor stops the run (DBOS cancels the workflow): the turn or command in
    // flight is cut off, an open question is given up, and the agent ends without a result.
    const stop = new AbortController();
    const stepped = <T>(name: string, fn: () => Promise<T>, tool: boolean): Promise<T> => {
      let live = false;
      return DBOS.runStep(
        async () => {
          live = true;
          const cancelled = DBOS.stepStatus?.cancelSignal;
          const onCancel = () => stop.abort(cancelled?.reason);
          cancelled?.addEventListener('abort', onCancel, { once: true });
          try {
            await tree.sync();
            if (tool && pendingTool) await publish({ kind: 'tool', name: pendingTool });
            // A thrown error is recorded as the step's value, so a replay throws it as the same class.
            const value: { ok: T } | RecordedThrow = await fn().then((ok) => ({ ok }), recordThrow);
            // Cut off by the stop: thrown, so DBOS records nothing and a resumed run does this step again.
            if (stop.signal.aborted) throw stop.signal.reason;
            return { value, tree: tool ? await tree.diff() : undefined };
          } finally {
            cancelled?.removeEventListener('abort', onCancel);
          }
        },
        { name },
      ).then(
        (r) => {
          if (r.tree !== undefined) tree.recorded(r.tree);
          if (!tool) turnLive = live;
          if ('thrown' in r.value) throw reviveThrow(r.value);
          return r.value.ok;
        },
        (e: unknown) => {
          // Cancelled between steps: the agent loop ends as a stopped agent does.
          if (e instanceof DBOSErrors.DBOSWorkflowCancelledError) stop.abort(e);
          throw e;
        },
      );
    };
    const durable: DurableSteps = {
      turn: (turn, fn) => stepped(`turn ${turn}`, fn, false),
      tool: (turn, id, fn) => stepped(`tool ${turn} ${id}`, fn, true),
    };
    const progress: AgentProgress = {
      tool: (name) => void (pendingTool = name),
      usage: (delta) => void (turnLive && publish({ kind: 'usage', delta })),
      model: (id) => void publish({ kind: 'model', id }),
    };
    let asked = 0;
    /** A question was given up (its conductor silent): the agent stops as if stopped. */
    let unanswered = false;
    let step: number | undefined;
    const travelling: Approver = {
      approveCommand: (request: ApprovalRequest) => {
        // The step asking plus a counter within it: a re-run step finds its answers again.
        const now = DBOS.stepID;
        if (now !== step) [step, asked] = [now, 0];
        return askRemotely(
          pool,
          workflowId,
          `${now ?? 'wf'}:${asked++}`,
          { ...request, rules: [], prefixRules: [] },
          stop.signal,
          {
            waitMs: o.questionWaitMs ?? QUESTION_WAIT_MS,
            giveUp: async () => {
              unanswered = true;
              o.log(
                `[${spec.label}] agent ${spec.agentId} of run ${spec.runId}: its conductor is gone and nobody answers its question; it stops here, and a resume asks again`,
              );
              // Stopped as the conductor's Stop does: the asking step is not recorded, the workflow parks.
              await DBOS.cancelWorkflow(workflowId);
            },
          },
        );
      },
    };
    const headless: UnattendedApprover = {
      unattended: true,
      approveCommand: async () => (spec.yes ? 'once' : 'deny'),
    };
    // Taken once (the worker's copy is removed), with whichever result the agent ends with.
    const transcript = (): { transcript?: string } => {
      const text = takeTranscript(path.join(stateDir, 'runs'), spec);
      return text === undefined ? {} : { transcript: text };
    };
    let outcome: AgentOutcome;
    try {
      const { runner } = await assembleAgentRunner(
        {
          roots: [tree.root],
          personal: { configDir: personal.configDir, home: personal.home },
          runsDir: path.join(stateDir, 'runs'),
          apiKey: o.apiKey,
          baseURL: o.baseURL,
          model: spec.model,
          allow: { source: '--allow', rules: spec.allow, strict: true },
          ...(spec.interactive ? {} : { headless: { yes: spec.yes, hint: spec.headlessHint } }),
          env: o.env,
          durable,
        },
        {
          approver: spec.interactive ? travelling : headless,
          log: { info: o.log, warn: (m) => o.log(`warning: ${m}`) },
        },
      );
      try {
        outcome = await runner.run(
          {
            runId: spec.runId,
            agentId: spec.agentId,
            index: spec.index,
            prompt: spec.prompt,
            label: spec.label,
            options: spec.options,
            attempt: spec.attempt,
          },
          stop.signal,
          progress,
        );
      } finally {
        runner.close();
      }
      const patch = await DBOS.runStep(
        async () => {
          await tree.sync();
          return tree.diff();
        },
        { name: 'patch' },
      );
      o.log(`[${spec.label}] agent ${spec.agentId} of run ${spec.runId} ${outcome.kind}`);
      return { outcome, patch, worker: executorId, ...transcript() };
    } catch (e) {
      if (stop.signal.aborted || e instanceof DBOSErrors.DBOSWorkflowCancelledError) {
        o.log(
          `[${spec.label}] agent ${spec.agentId} of run ${spec.runId} stopped ${unanswered ? 'waiting for an answer' : 'by its conductor'}`,
        );
        // DBOS parks a cancelled workflow without recording a result; a resume runs it on from its last step.
        throw e;
      }
      return {
        outcome: {
          kind: 'error',
          error: { name: 'Error', message: `on worker ${executorId}: ${(e as Error).message}` },
        },
        patch: '',
        worker: executorId,
        ...transcript(),
      };
    } finally {
      // A stopped agent's copy too: a resumed run writes its transcript afresh, replaying the record.
      transcript();
      await tree.remove();
    }
  }

  DBOS.setConfig({
    name: APP_NAME,
    systemDatabaseUrl: dbosEngineUrl(o.url),
    applicationVersion: version,
    executorID: executorId,
    runMigrations: false,
    logLevel: 'warn',
  });
  DBOS.registerWorkflow(remoteAgent, { name: WORKFLOW });
  try {
    await DBOS.launch();
    // Polled every 200 ms (DBOS's default is a second, which an agent would wait on every dequeue).
    await DBOS.registerQueue(QUEUE, {
      workerConcurrency: o.concurrency,
      minPollingIntervalMs: 200,
      onConflict: 'always_update',
    });
  } catch (e) {
    await pool.end().catch(() => undefined);
    // No cause: pg's errors may quote the connection string; the message is masked instead.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`cannot start the worker on the engine: ${maskEngineUrl((e as Error).message, o.url)}`);
  }
  const heartbeat = new Heartbeat({
    pool,
    executorId,
    host: os.hostname(),
    version,
    everyMs: o.heartbeatMs ?? 1000,
    staleMs: o.staleMs ?? 5000,
    recover: (dead) => reenqueueDeadExecutor(pool, dead, version, APP_NAME),
    log: o.log,
  });
  await heartbeat.start();
  o.log(`dwf worker ${executorId} (dwf ${version}) runs up to ${o.concurrency} agents from ${o.repo}`);
  return {
    executorId,
    async stop() {
      await heartbeat.stop();
      await DBOS.shutdown();
      await pool.end().catch(() => undefined);
    },
  };
}
