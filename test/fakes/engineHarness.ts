// Runs workflow scripts through the real engine (real QuickJS worker, real journal files in a
// temp runs folder) with a FakeRunner in place of the model. Shared by engine tests and benches.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkflowEngine, type ResumeOptions, type StartOptions } from '../../src/core/run/engine';
import type { RunResult, WorkflowResolver, WorkflowRun } from '../../src/core/run/run';
import type { RunEvent } from '../../src/core/run/events';
import { FileRunStore } from '../../src/core/journal/runStore';
import { parseWorkflowScript } from '../../src/core/script';
import type { SandboxLimits } from '../../src/core/sandbox/protocol';
import { FakeRunner, type FakeRunnerOptions } from './fakeRunner';

/** The compiled sandbox worker: tests run from out/test/…, the worker lives in out/src/…. */
export const WORKER_PATH = path.resolve(__dirname, '../../src/core/sandbox/worker.js');

export interface Harness {
  engine: WorkflowEngine;
  runner: FakeRunner;
  store: FileRunStore;
  dir: string;
  /** Starts a script given as source text (a meta header is added when missing). */
  start(source: string, options?: StartOptions): WorkflowRun;
  /** Runs a script to its end and returns the result plus every event. */
  run(source: string, options?: StartOptions): Promise<RunResult & { events: RunEvent[]; run: WorkflowRun }>;
  resume(
    runId: string,
    options?: ResumeOptions & { source?: string },
  ): Promise<RunResult & { events: RunEvent[]; run: WorkflowRun }>;
  cleanup(): void;
}

export const META = "export const meta = { name: 'test', description: 'a test workflow' }\n";

export function withMeta(source: string): string {
  return /export const meta/.test(source) ? source : META + source;
}

export interface HarnessOptions extends FakeRunnerOptions {
  resolveWorkflow?: WorkflowResolver;
  dir?: string;
  /** Sandbox limits of every run of this harness (a run's own `limits` win), e.g. a short slice. */
  limits?: Partial<SandboxLimits>;
  /** The runs folder at `root` (default: a plain FileRunStore), e.g. one whose disk fails on cue. */
  store?: (root: string) => FileRunStore;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-test-'));
  const store = (options.store ?? ((root) => new FileRunStore(root)))(path.join(dir, 'runs'));
  const runner = new FakeRunner(options);
  const engine = new WorkflowEngine({
    runner,
    store,
    workerPath: WORKER_PATH,
    resolveWorkflow: options.resolveWorkflow,
  });
  const collect = async (run: WorkflowRun) => {
    const events: RunEvent[] = [];
    run.events.subscribe((b) => events.push(...b), { replay: true });
    const result = await run.done;
    return { ...result, events, run };
  };
  return {
    engine,
    runner,
    store,
    dir,
    start: (source, opts) =>
      engine.start(parseWorkflowScript(withMeta(source), 'test.js'), {
        eventIntervalMs: 0,
        ...opts,
        limits: { ...options.limits, ...opts?.limits },
      }),
    run(source, opts) {
      return collect(this.start(source, opts));
    },
    resume(runId, opts = {}) {
      const script = opts.source === undefined ? undefined : parseWorkflowScript(withMeta(opts.source), 'test.js');
      return collect(
        engine.resume(runId, { eventIntervalMs: 0, ...opts, limits: { ...options.limits, ...opts.limits }, script }),
      );
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Agent events of one state, in emit order. */
export function agentEvents(events: RunEvent[], state?: string): Extract<RunEvent, { type: 'agent' }>[] {
  return events.filter(
    (e): e is Extract<RunEvent, { type: 'agent' }> => e.type === 'agent' && (!state || e.state === state),
  );
}

export function logLines(events: RunEvent[]): string[] {
  return events.filter((e): e is Extract<RunEvent, { type: 'log' }> => e.type === 'log').map((e) => e.message);
}
