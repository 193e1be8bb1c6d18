// The engine under test, wired like test/fakes/engineHarness.ts (real QuickJS worker, real journal
// files in a temp runs folder, FakeRunner as the model) but with a runner wrapper that records when
// each agent call started and ended, and with the production event interval by default.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WorkflowEngine, type ResumeOptions, type StartOptions } from '../../src/core/run/engine';
import type { RunResult } from '../../src/core/run/run';
import { FileRunStore } from '../../src/core/journal/runStore';
import { parseWorkflowScript } from '../../src/core/script';
import type { AgentOutcome, AgentProgress, AgentRequest, AgentRunner } from '../../src/core/ports';
import { FakeRunner, type FakeRunnerOptions } from '../../test/fakes/fakeRunner';
import { WORKER_PATH, withMeta } from '../../test/fakes/engineHarness';

/** Wraps a runner and records [start, end] (performance.now()) of every call while `recording`. */
export class RecordingRunner implements AgentRunner {
  recording = false;
  spans: { prompt: string; start: number; end: number }[] = [];
  calls = 0;
  constructor(readonly inner: AgentRunner) {}

  async run(req: AgentRequest, signal: AbortSignal, progress: AgentProgress): Promise<AgentOutcome> {
    this.calls++;
    if (!this.recording) return this.inner.run(req, signal, progress);
    const start = performance.now();
    try {
      return await this.inner.run(req, signal, progress);
    } finally {
      this.spans.push({ prompt: req.prompt, start, end: performance.now() });
    }
  }

  agentTypes(): string[] | undefined {
    return this.inner.agentTypes?.();
  }
}

export interface Rig {
  engine: WorkflowEngine;
  runner: RecordingRunner;
  dir: string;
  /** Parses (adding a meta header) and runs a body to its end; throws unless it completed. */
  run(body: string, options?: StartOptions): Promise<RunResult>;
  resume(runId: string, options?: ResumeOptions): Promise<RunResult>;
  cleanup(): void;
}

/** Production default (RunSettings.eventIntervalMs); the harness's 0 is a test convenience. */
export const EVENT_INTERVAL_MS = 100;

export function createRig(runnerOptions: FakeRunnerOptions = {}): Rig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-bench-'));
  const store = new FileRunStore(path.join(dir, 'runs'));
  const runner = new RecordingRunner(new FakeRunner(runnerOptions));
  const engine = new WorkflowEngine({ runner, store, workerPath: WORKER_PATH });
  const check = (res: RunResult, what: string): RunResult => {
    if (res.status !== 'completed') {
      throw new Error(
        `${what} ended ${res.status}: ${res.error ? `${res.error.name}: ${res.error.message}` : 'no error'}`,
      );
    }
    return res;
  };
  return {
    engine,
    runner,
    dir,
    async run(body, options) {
      const run = engine.start(parseWorkflowScript(withMeta(body), 'bench.js'), {
        eventIntervalMs: EVENT_INTERVAL_MS,
        ...options,
      });
      return check(await run.done, 'run');
    },
    async resume(runId, options) {
      const run = engine.resume(runId, { eventIntervalMs: EVENT_INTERVAL_MS, ...options });
      return check(await run.done, 'resume');
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
