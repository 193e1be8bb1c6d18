// agent(prompt, {schema}) (spec §3.1): the model must call a StructuredOutput tool whose input
// schema is the agent's schema, exactly once; Ajv checks the input and failures go back to the
// model as a tool error naming the failing paths. After MAX_ATTEMPTS failures agent() throws.
// Validation runs in a worker thread with a deadline: a schema `pattern` from the script can
// backtrack catastrophically on the model's data, and the host's main thread must never run it.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ValidationReply, ValidationRequest } from './structuredOutputProtocol';

export const STRUCTURED_OUTPUT = 'StructuredOutput';
export const MAX_STRUCTURED_ATTEMPTS = 5;
/** Validating one input (after the schema compiled) may take this long; then the worker is killed. */
export const STRUCTURED_VALIDATION_DEADLINE_MS = 2000;
/** Starting a worker and compiling the schema: generous, for a busy two-core machine. */
const STARTUP_DEADLINE_MS = 30_000;
const MAX_IDLE_WORKERS = 2;

export function structuredOutputTool(schema: Record<string, unknown>) {
  return {
    name: STRUCTURED_OUTPUT,
    description:
      'Return your final answer as structured data. Call this exactly once, with input that matches the schema, as your last action.',
    input_schema: schema as { type: 'object'; [k: string]: unknown },
  };
}

export type StructuredCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Next to the bundle (dist/structuredOutputWorker.js) or, transpiled for tests, next to this file. */
export function validationWorkerPath(): string {
  return path.join(__dirname, 'structuredOutputWorker.js');
}

const idle: Worker[] = [];
let nextId = 0;

function takeWorker(): Worker {
  const reused = idle.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  return new Worker(validationWorkerPath(), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
}

/** Our listeners only: a bare removeAllListeners() also drops Node's own and the worker goes deaf. */
function detach(worker: Worker): void {
  for (const event of ['message', 'error', 'exit']) worker.removeAllListeners(event);
}

function returnWorker(worker: Worker): void {
  detach(worker);
  if (idle.length >= MAX_IDLE_WORKERS) {
    void worker.terminate();
    return;
  }
  worker.unref(); // an idle worker must not keep a CLI run or a test alive
  worker.once('exit', () => {
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
  });
  idle.push(worker);
}

/** Checks the model's input against the schema off the main thread; a validation past the deadline fails, naming the schema's patterns. */
export function checkStructuredOutput(
  schema: Record<string, unknown>,
  input: unknown,
  deadlineMs = STRUCTURED_VALIDATION_DEADLINE_MS,
): Promise<StructuredCheck> {
  const request: ValidationRequest = { id: ++nextId, schemaText: JSON.stringify(schema), input };
  const worker = takeWorker();
  return new Promise<StructuredCheck>((resolve, reject) => {
    let settled = false;
    const settle = (reuse: boolean, outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (reuse) returnWorker(worker);
      else {
        detach(worker);
        void worker.terminate();
      }
      outcome();
    };
    const giveUp = (what: string) => settle(false, () => resolve({ ok: false, message: what }));
    let timer = setTimeout(
      () =>
        giveUp(
          `schema validation could not start within ${STARTUP_DEADLINE_MS / 1000} s (the machine may be overloaded)`,
        ),
      STARTUP_DEADLINE_MS,
    );

    worker.on('message', (reply: ValidationReply) => {
      if (reply.id !== request.id) return;
      if (reply.t === 'validating') {
        clearTimeout(timer);
        timer = setTimeout(() => giveUp(deadlineMessage(schema, deadlineMs)), deadlineMs);
      } else if (reply.t === 'error') {
        settle(true, () => reject(new Error(`agent({schema}): the schema does not compile: ${reply.message}`)));
      } else {
        settle(true, () =>
          resolve(
            reply.ok ? { ok: true, value: input as Record<string, unknown> } : { ok: false, message: reply.message },
          ),
        );
      }
    });
    worker.on('error', (e) => giveUp(`schema validation failed: ${e.message}`));
    worker.on('exit', (code) => giveUp(`schema validation stopped unexpectedly (worker exit ${code})`));
    try {
      worker.postMessage(request);
    } catch (e) {
      giveUp(`the input cannot be validated: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

/** What the model (and, after the retry cap, the script) reads when validation ran out of time. */
function deadlineMessage(schema: Record<string, unknown>, deadlineMs: number): string {
  const patterns = schemaPatterns(schema);
  const shown = patterns
    .slice(0, 3)
    .map((p) => `\`${p.length > 120 ? `${p.slice(0, 120)}…` : p}\``)
    .join(', ');
  const suspect =
    patterns.length === 0
      ? 'no pattern in the schema explains it'
      : `the schema's pattern ${shown} may backtrack catastrophically on this input (nested quantifiers such as (a+)+); the script should simplify it`;
  return `schema validation exceeded ${deadlineMs / 1000} s and was stopped: ${suspect}`;
}

/** Every `pattern` and `patternProperties` key in the schema, in order of appearance. */
export function schemaPatterns(schema: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'pattern' && typeof value === 'string') found.push(value);
      if (key === 'patternProperties' && value !== null && typeof value === 'object') found.push(...Object.keys(value));
      walk(value);
    }
  };
  walk(schema);
  return [...new Set(found)];
}

export const MESSAGES_STRUCTURED = {
  retryCap: (n: number, last: string) =>
    `agent({schema}): StructuredOutput retry cap (${MAX_STRUCTURED_ATTEMPTS}) exceeded — ${n} failed calls with no valid output — last StructuredOutput error: ${last}`,
  noCall: 'agent({schema}): subagent completed without calling StructuredOutput (after in-conversation nudge)',
  nudge: `You ended without calling the ${STRUCTURED_OUTPUT} tool. Call ${STRUCTURED_OUTPUT} now, exactly once, with your final answer as input matching its schema.`,
  toolError: (why: string) =>
    `StructuredOutput input rejected: ${why}. Fix these fields and call StructuredOutput again.`,
};
