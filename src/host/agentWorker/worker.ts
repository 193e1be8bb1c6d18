// The agent worker (a worker thread of the editor's extension host, bundle dist/agentWorker.js):
// runs the shared runner assembly (agentAssembly.ts) — SDK streams, tool loops, permission gates —
// off the main thread, so the editor stays responsive during big runs. The main thread keeps a thin
// AgentRunner proxy (runnerProxy.ts); the messages are protocol.ts.
import { parentPort } from 'node:worker_threads';
import type { AgentOutcome, AgentProgress, ApprovalRequest } from '../../core';
import { ripgrepInVsCode, useBundledRipgrep } from '../../agent/tools/ripgrep';
import { assembleAgentRunner, SettingsRefusal } from '../agentAssembly';
import type { AnthropicRunner } from '../../agent/runner';
import { RemoteWorkspace, type Ask } from './remoteWorkspace';
import { yieldCpuToEditor } from './threadPriority';
import {
  BATCH_MS,
  ProgressBatch,
  decodeError,
  decodeToWorker,
  encodeError,
  isUrgent,
  type Progress,
  type Question,
  type Reply,
  type ToMain,
  type ToWorker,
  type WorkerAssembly,
} from './protocol';

const port = parentPort;
if (!port) throw new Error('agentWorker must run as a worker thread');
yieldCpuToEditor();

function post(message: ToMain): void {
  port!.postMessage(message);
}

// ——— batched progress ———

const batch = new ProgressBatch();
let tick: NodeJS.Timeout | undefined;
let immediate: NodeJS.Immediate | undefined;

function flush(): void {
  if (tick) clearTimeout(tick);
  if (immediate) clearImmediate(immediate);
  tick = immediate = undefined;
  if (batch.size) post({ type: 'batch', items: batch.take() });
}

/** Queues `p`; urgent progress goes out after this turn's other work, the rest within BATCH_MS. */
function report(p: Progress): void {
  batch.add(p);
  if (isUrgent(p)) immediate ??= setImmediate(flush);
  else tick ??= setTimeout(flush, BATCH_MS);
}

// ——— questions to the main thread ———

let nextQuestion = 1;
const questions = new Map<number, (reply: Reply) => void>();

const ask: Ask = (question: Question) => {
  const id = nextQuestion++;
  flush(); // what happened before the question reaches the main thread first
  return new Promise((resolve, reject) => {
    questions.set(id, (reply) => (reply.ok ? resolve(reply.value as never) : reject(decodeError(reply.error))));
    post({ type: 'ask', id, question });
  });
};

// ——— agents ———

let runner: AnthropicRunner | undefined;
const running = new Map<number, AbortController>();
let nextWait = 1;
const resumes = new Map<number, (error: Error | undefined) => void>();
/** personResumed that came before the worker was waiting for it (the agent was aborted). */
const earlyResumes = new Map<number, Error | undefined>();

/** Lends the agent's slot on the main thread while the person decides, and waits until it is held again. */
async function awaitPerson<T>(call: number, answer: Promise<T>): Promise<T> {
  const wait = nextWait++;
  report({ kind: 'awaitPerson', call, wait });
  let settled: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    settled = { ok: true, value: await answer };
  } catch (error) {
    settled = { ok: false, error };
  }
  const resumed = earlyResumes.has(wait)
    ? Promise.resolve(earlyResumes.get(wait))
    : new Promise<Error | undefined>((resolve) => resumes.set(wait, resolve));
  earlyResumes.delete(wait);
  report({ kind: 'personAnswered', wait });
  const error = await resumed;
  if (error) throw error;
  if (!settled.ok) throw settled.error;
  return settled.value;
}

async function runAgent(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const { call, request } = message;
  const controller = new AbortController();
  running.set(call, controller);
  const progress: AgentProgress = {
    usage: (usage) => report({ kind: 'usage', call, usage }),
    tool: (name, summary) => report({ kind: 'tool', call, name, ...(summary !== undefined ? { summary } : {}) }),
    model: (model) => report({ kind: 'model', call, model }),
    usageLimit: (until, reason) => report({ kind: 'usageLimit', call, until, reason }),
    ...(message.awaitPerson ? { awaitPerson: <T>(answer: Promise<T>) => awaitPerson(call, answer) } : {}),
  };
  let outcome: AgentOutcome;
  try {
    if (!runner) throw new Error('the agent worker ran an agent before its runner was assembled');
    outcome = await runner.run(request, controller.signal, progress);
  } catch (e) {
    // The runner reports failures as outcomes; a throw is a bug, reported like one.
    outcome = { kind: 'error', error: { ...encodeError(e), message: `agent worker: ${encodeError(e).message}` } };
  } finally {
    running.delete(call);
  }
  report({ kind: 'outcome', call, outcome });
}

async function assemble(assembly: WorkerAssembly): Promise<void> {
  if (assembly.vscodeAppRoot) useBundledRipgrep(ripgrepInVsCode(assembly.vscodeAppRoot));
  const approver = {
    approveCommand: (request: ApprovalRequest) => ask({ op: 'approve', request }),
  };
  const log = {
    info: (message: string) => report({ kind: 'log', level: 'info', message }),
    warn: (message: string) => report({ kind: 'log', level: 'warn', message }),
  };
  try {
    const assembled = await assembleAgentRunner(assembly.options, {
      approver,
      log,
      ...(assembly.editorWorkspace ? { workspace: (roots, guard) => new RemoteWorkspace(roots, guard, ask) } : {}),
    });
    runner = assembled.runner;
    flush();
    post({ type: 'assembled', warnings: assembled.warnings, agentTypes: runner.agentTypes() });
  } catch (e) {
    flush();
    if (e instanceof SettingsRefusal) post({ type: 'refused', fatal: e.fatal, problems: e.problems });
    else post({ type: 'assemblyFailed', error: encodeError(e) });
  }
}

port.on('message', (raw: unknown) => {
  const message = decodeToWorker(raw);
  switch (message.type) {
    case 'assemble':
      void assemble(message.assembly);
      return;
    case 'run':
      void runAgent(message);
      return;
    case 'abort':
      running.get(message.call)?.abort(decodeError(message.reason));
      return;
    case 'answer': {
      const settle = questions.get(message.id);
      questions.delete(message.id);
      settle?.(message.reply);
      return;
    }
    case 'personResumed': {
      const error = message.error ? decodeError(message.error) : undefined;
      const resume = resumes.get(message.wait);
      if (resume) {
        resumes.delete(message.wait);
        resume(error);
      } else earlyResumes.set(message.wait, error);
      return;
    }
    case 'close':
      flush();
      runner?.close();
      port.close(); // nothing else keeps the thread alive but the SDK's idle sockets: the main thread terminates it after a grace
      return;
  }
});
