// The plain baseline the engine is compared with: agent/parallel/pipeline over a node:vm context
// on the main thread, a JSON round trip per agent() call (arguments in, result out), the same
// AgentRunner and the same FIFO ConcurrencyGate. No worker, no QuickJS, no cache keys, no events.
// With `journalPath` it also journals like the engine's group commit (the started lines of one
// synchronous burst of agent() calls in one write; the outcome lines of one tick in one write and
// one fdatasync before those results reach the script), to separate sandbox cost from durability cost.
import * as vm from 'node:vm';
import { ConcurrencyGate } from '../../src/shared/concurrencyGate';
import { JournalWriter, type JournalLine } from '../../src/core/journal/journalFile';
import type { AgentOutcome, AgentRunner } from '../../src/core/ports';

export interface VmRunOptions {
  runner: AgentRunner;
  concurrency: number;
  /** Journal every call like the engine does (one write per batch of lines, one fdatasync per settle batch). */
  journalPath?: string;
}

export interface VmRunResult {
  result: unknown;
  agents: number;
}

// Same user-visible semantics as src/core/sandbox/guest/prelude.guest.js for these three primitives:
// parallel takes thunks and turns a failed slot into null; pipeline calls stage(value, item, i),
// a null value ends the slot early, and a failed slot becomes null.
const PRELUDE = `(function (host) {
  'use strict';
  const waiting = new Map();
  let nextId = 1;
  function agent(prompt, opts) {
    const id = nextId++;
    const json = JSON.stringify({ prompt: typeof prompt === 'string' ? prompt : String(prompt), opts: opts === undefined ? null : opts });
    return new Promise(function (resolve, reject) {
      waiting.set(id, [resolve, reject]);
      host(id, json);
    });
  }
  function settle(id, ok, payload) {
    const w = waiting.get(id);
    if (w === undefined) return;
    waiting.delete(id);
    if (ok) w[0](payload === undefined ? undefined : JSON.parse(payload));
    else { const e = new Error(payload.message); e.name = payload.name; w[1](e); }
  }
  function parallel(thunks) {
    if (!Array.isArray(thunks)) return Promise.reject(new TypeError('parallel() takes an array of functions'));
    for (let i = 0; i < thunks.length; i++) if (typeof thunks[i] !== 'function') return Promise.reject(new TypeError('parallel() takes an array of functions'));
    return Promise.all(thunks.map(function (f) {
      let r;
      try { r = f(); } catch (e) { return null; }
      return Promise.resolve(r).then(function (v) { return v; }, function () { return null; });
    }));
  }
  function pipeline(items) {
    const stages = Array.prototype.slice.call(arguments, 1);
    if (!Array.isArray(items)) return Promise.reject(new TypeError('pipeline() takes an array of items'));
    return Promise.all(items.map(function (x, i) {
      return Promise.resolve(x).then(async function (item) {
        let v = item;
        for (let s = 0; s < stages.length; s++) {
          if (v === null) return null;
          v = await stages[s](v, item, i);
        }
        return v;
      }).catch(function () { return null; });
    }));
  }
  globalThis.agent = agent;
  globalThis.parallel = parallel;
  globalThis.pipeline = pipeline;
  return settle;
})`;

const compiledPrelude = new vm.Script(PRELUDE, { filename: 'vm-prelude.js' });

/** Runs a workflow body (no meta, top-level await/return allowed) in a fresh vm context. */
export async function runInVm(body: string, options: VmRunOptions): Promise<VmRunResult> {
  const { runner, concurrency } = options;
  const gate = new ConcurrencyGate(concurrency);
  const journal = options.journalPath ? new JournalWriter(options.journalPath) : undefined;
  const context = vm.createContext({});
  let agents = 0;
  let settle!: (id: number, ok: boolean, payload: unknown) => void;
  // Journal mode, like WorkflowRun: started lines are written once per burst of calls (the engine:
  // once per ops message), and settlements wait for one group commit per tick (outcome lines in one
  // write, then fdatasync), like SandboxHost.flush() → WorkflowRun.syncJournal().
  let startedLines: JournalLine[] = [];
  let outcomeLines: JournalLine[] = [];
  let outbox: [number, boolean, unknown][] = [];
  let flushScheduled = false;
  const started = (line: JournalLine) => {
    if (startedLines.push(line) === 1) {
      queueMicrotask(() => {
        journal!.appendMany(startedLines);
        startedLines = [];
      });
    }
  };
  const deliver = (id: number, ok: boolean, payload: unknown, line: JournalLine) => {
    if (!journal) return settle(id, ok, payload);
    outcomeLines.push(line);
    outbox.push([id, ok, payload]);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      journal.appendMany(outcomeLines);
      outcomeLines = [];
      journal.sync();
      const items = outbox;
      outbox = [];
      for (const [i, k, p] of items) settle(i, k, p);
    });
  };
  const host = (id: number, json: string) => {
    const arg = JSON.parse(json) as { prompt: string; opts: Record<string, unknown> | null };
    const index = agents++;
    const agentId = 'a' + index;
    if (journal) started({ type: 'started', key: agentId, agentId, index, label: arg.prompt, pos: '', content: '' });
    void (async () => {
      const controller = new AbortController();
      let outcome: AgentOutcome;
      const release = await gate.acquire(controller.signal);
      try {
        outcome = await runner.run(
          { runId: 'vm', agentId, index, prompt: arg.prompt, label: arg.prompt, options: {}, attempt: 1 },
          controller.signal,
          {},
        );
      } catch (e) {
        outcome = { kind: 'error', error: { name: 'Error', message: String((e as Error)?.message ?? e) } };
      } finally {
        release();
      }
      if (outcome.kind === 'done') {
        const json = outcome.result === undefined ? undefined : JSON.stringify(outcome.result);
        deliver(id, true, json, {
          type: 'result',
          key: agentId,
          agentId,
          result: outcome.result,
          usage: outcome.usage,
        });
      } else if (outcome.kind === 'null') {
        deliver(id, true, 'null', { type: 'failed', key: agentId, agentId, reason: outcome.reason });
      } else {
        deliver(id, false, outcome.error, { type: 'failed', key: agentId, agentId, reason: outcome.error.message });
      }
    })();
  };
  try {
    settle = compiledPrelude.runInContext(context)(host);
    const main = vm.runInContext(`(async function workflow() {${body}\n})()`, context, {
      filename: 'workflow.js',
    }) as Promise<unknown>;
    const value = await main;
    // The result leaves the sandbox as JSON, like the engine's finish().
    const json = JSON.stringify(value);
    return { result: json === undefined ? undefined : JSON.parse(json), agents };
  } finally {
    journal?.close();
  }
}
