// §3 of the benchmark: scheduling efficiency. A pipeline of `items` × 3 stages with seeded random
// per-agent latencies (FakeRunner delay keyed by prompt) at a fixed concurrency. The makespan is
// compared with the ideal list-schedule lower bound max(total work / slots, longest item chain).
// Also printed: the same for the vm baseline, a zero-overhead simulation of the FIFO gate (what
// the policy alone achieves), and bounds recomputed from the measured agent durations (setTimeout
// overshoots each nominal delay by ~1 ms, which is not the scheduler's doing).
import { createRig, RecordingRunner } from './rig';
import { runInVm } from './vmBaseline';
import { pipelineBody } from './scripts';
import { FakeRunner, type FakeRunnerOptions } from '../../test/fakes/fakeRunner';
import { measure, median, mulberry32 } from './report';

export interface SchedulingConfig {
  items: number;
  concurrency: number;
  minMs: number;
  maxMs: number;
  seed: number;
  iterations: number;
  vmIterations: number;
}

export interface ScheduleRun {
  /** engine.start → run done (includes worker start-up), ms. */
  wallMs: number;
  /** First agent start → last agent end, ms. */
  spanMs: number;
  /** max(measured work / slots, longest measured chain), ms. */
  actualBoundMs: number;
}

export interface ScheduleStats {
  wallMs: number;
  spanMs: number;
  /** wall / nominal bound */
  ratioWall: number;
  /** agent span / nominal bound */
  ratioSpan: number;
  /** agent span / bound from measured durations (scheduling gaps only) */
  ratioSpanActual: number;
}

export interface SchedulingResult {
  items: number;
  agents: number;
  concurrency: number;
  seed: number;
  totalWorkMs: number;
  longestChainMs: number;
  boundMs: number;
  /** Zero-overhead FIFO list schedule of the same tasks. */
  simulatedFifoMs: number;
  simulatedRatio: number;
  engine: ScheduleStats;
  vm?: ScheduleStats;
}

const STAGES = ['a', 'b', 'c'];

export function latencies(cfg: SchedulingConfig): Map<string, number> {
  const rnd = mulberry32(cfg.seed);
  const lat = new Map<string, number>();
  for (let i = 0; i < cfg.items; i++) {
    for (const s of STAGES) lat.set(s + i, cfg.minMs + Math.floor(rnd() * (cfg.maxMs - cfg.minMs + 1)));
  }
  return lat;
}

/** Greedy list schedule with a FIFO queue and zero overhead: a freed slot goes to the oldest waiter. */
export function simulateFifo(items: number, slots: number, lat: (item: number, stage: number) => number): number {
  const queue: [number, number][] = [];
  for (let i = 0; i < items; i++) queue.push([i, 0]);
  let head = 0;
  const running: { end: number; item: number; stage: number; seq: number }[] = [];
  let t = 0;
  let seq = 0;
  const fill = () => {
    while (running.length < slots && head < queue.length) {
      const [item, stage] = queue[head++];
      running.push({ end: t + lat(item, stage), item, stage, seq: seq++ });
    }
  };
  fill();
  while (running.length) {
    let k = 0;
    for (let j = 1; j < running.length; j++) {
      if (running[j].end < running[k].end || (running[j].end === running[k].end && running[j].seq < running[k].seq))
        k = j;
    }
    const done = running.splice(k, 1)[0];
    t = done.end;
    fill(); // the released slot goes to the queue head before the next stage is even requested
    if (done.stage + 1 < STAGES.length) queue.push([done.item, done.stage + 1]);
    fill();
  }
  return t;
}

function bound(
  spans: { prompt: string; start: number; end: number }[],
  slots: number,
): { bound: number; span: number } {
  let work = 0;
  let first = Infinity;
  let last = -Infinity;
  const chain = new Map<string, number>();
  for (const s of spans) {
    const d = s.end - s.start;
    work += d;
    first = Math.min(first, s.start);
    last = Math.max(last, s.end);
    const item = s.prompt.slice(1);
    chain.set(item, (chain.get(item) ?? 0) + d);
  }
  return { bound: Math.max(work / slots, Math.max(...chain.values())), span: last - first };
}

export async function schedulingBench(cfg: SchedulingConfig, log: (s: string) => void): Promise<SchedulingResult> {
  const lat = latencies(cfg);
  const agents = cfg.items * STAGES.length;
  let totalWorkMs = 0;
  let longestChainMs = 0;
  for (let i = 0; i < cfg.items; i++) {
    let chain = 0;
    for (const s of STAGES) chain += lat.get(s + i)!;
    totalWorkMs += chain;
    longestChainMs = Math.max(longestChainMs, chain);
  }
  const boundMs = Math.max(totalWorkMs / cfg.concurrency, longestChainMs);
  const simulatedFifoMs = simulateFifo(cfg.items, cfg.concurrency, (i, s) => lat.get(STAGES[s] + i)!);
  const runnerOptions: FakeRunnerOptions = {
    rules: [{ match: () => true, delayMs: (req) => lat.get(req.prompt) ?? 0 }],
  };
  const body = pipelineBody(cfg.items);

  const summarize = (runs: ScheduleRun[]): ScheduleStats => {
    const wallMs = median(runs.map((x) => x.wallMs));
    const spanMs = median(runs.map((x) => x.spanMs));
    return {
      wallMs,
      spanMs,
      ratioWall: wallMs / boundMs,
      ratioSpan: spanMs / boundMs,
      ratioSpanActual: median(runs.map((x) => x.spanMs / x.actualBoundMs)),
    };
  };

  const engineRuns: ScheduleRun[] = [];
  const rig = createRig(runnerOptions);
  try {
    for (let k = 0; k < cfg.iterations; k++) {
      rig.runner.spans = [];
      rig.runner.recording = true;
      const { sample, value } = await measure(() => rig.run(body, { concurrency: cfg.concurrency }));
      rig.runner.recording = false;
      if (value.agents.done !== agents || value.result !== cfg.items)
        throw new Error(`scheduling run: ${JSON.stringify(value.agents)}, result ${JSON.stringify(value.result)}`);
      const b = bound(rig.runner.spans, cfg.concurrency);
      engineRuns.push({ wallMs: sample.wallMs, spanMs: b.span, actualBoundMs: b.bound });
      log(`  scheduling engine run ${k + 1}/${cfg.iterations}: ${sample.wallMs.toFixed(0)} ms`);
    }
  } finally {
    rig.cleanup();
  }

  let vm: ScheduleStats | undefined;
  if (cfg.vmIterations > 0) {
    const vmRuns: ScheduleRun[] = [];
    const runner = new RecordingRunner(new FakeRunner(runnerOptions));
    for (let k = 0; k < cfg.vmIterations; k++) {
      runner.spans = [];
      runner.recording = true;
      const { sample, value } = await measure(() => runInVm(body, { runner, concurrency: cfg.concurrency }));
      runner.recording = false;
      if (value.agents !== agents || value.result !== cfg.items)
        throw new Error(`vm scheduling run: ${value.agents} agents, result ${JSON.stringify(value.result)}`);
      const b = bound(runner.spans, cfg.concurrency);
      vmRuns.push({ wallMs: sample.wallMs, spanMs: b.span, actualBoundMs: b.bound });
      log(`  scheduling vm run ${k + 1}/${cfg.vmIterations}: ${sample.wallMs.toFixed(0)} ms`);
    }
    vm = summarize(vmRuns);
  }

  return {
    items: cfg.items,
    agents,
    concurrency: cfg.concurrency,
    seed: cfg.seed,
    totalWorkMs,
    longestChainMs,
    boundMs,
    simulatedFifoMs,
    simulatedRatio: simulatedFifoMs / boundMs,
    engine: summarize(engineRuns),
    vm,
  };
}
