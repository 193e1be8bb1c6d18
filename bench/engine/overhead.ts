// §1 of the benchmark: per-agent() overhead of the engine (QuickJS worker sandbox + run
// bookkeeping + journal) against the plain node:vm baseline, with an instant FakeRunner.
// Warm: a few discarded rounds first, then interleaved rounds (so drift hits every case alike)
// and medians. Fixed start-up is the median of a zero-agent script; per call = (T(N) − T(0)) / N.
import * as path from 'node:path';
import { createRig, type Rig } from './rig';
import { runInVm } from './vmBaseline';
import { runSandboxOnly } from './sandboxOnly';
import { emptyBody, parallelBody, pipelineBody } from './scripts';
import { FakeRunner } from '../../test/fakes/fakeRunner';
import { measure, medianOf, type Sample } from './report';

export interface OverheadConfig {
  parallelN: number;
  pipelineItems: number;
  /** Per-run agent() cap for the engine and the bare sandbox (≥ pipelineItems × 3). */
  maxAgents: number;
  concurrency: number;
  warmup: number;
  iterations: number;
  /** Which implementations to measure (default: all). */
  impls?: Impl[];
  /** Idle time before each worker-based run (engine, sandbox): runs are measured one at a time, not back to back. */
  pauseMs?: number;
}

export type Impl = 'engine' | 'sandbox' | 'vm' | 'vmJournal';
export type Workload = 'empty' | 'parallel' | 'pipeline';

export interface CaseStats {
  /** Median wall / whole-process CPU of one run, ms. */
  wallMs: number;
  cpuMs: number;
  /** Median main-thread (parent) busy time of one run, ms. */
  mainMs: number;
  /** Per agent() call above the zero-agent start-up, µs (wall and CPU). */
  perCallUs?: number;
  perCallCpuUs?: number;
  /** Main-thread busy time per call above the zero-agent run, µs (the parent side alone). */
  perCallMainUs?: number;
  calls: number;
}

export type OverheadResult = Partial<Record<Impl, Record<Workload, CaseStats>>>;

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function overheadBench(cfg: OverheadConfig, log: (s: string) => void): Promise<OverheadResult> {
  const calls: Record<Workload, number> = { empty: 0, parallel: cfg.parallelN, pipeline: cfg.pipelineItems * 3 };
  const bodies: Record<Workload, string> = {
    empty: emptyBody,
    parallel: parallelBody(cfg.parallelN),
    pipeline: pipelineBody(cfg.pipelineItems),
  };
  const expected: Record<Workload, number> = { empty: 0, parallel: cfg.parallelN, pipeline: cfg.pipelineItems };
  const rig: Rig = createRig({ defaultDelayMs: 0 });
  const vmRunner = new FakeRunner({ defaultDelayMs: 0 });
  let journalNo = 0;

  const runOnce = async (impl: Impl, w: Workload): Promise<Sample> => {
    const { sample, value } = await measure(async () => {
      if (impl === 'engine') {
        const res = await rig.run(bodies[w], { concurrency: cfg.concurrency, maxAgents: cfg.maxAgents });
        if (res.agents.total !== calls[w] || res.agents.done !== calls[w]) {
          throw new Error(`engine ${w}: expected ${calls[w]} agents done, got ${JSON.stringify(res.agents)}`);
        }
        return res.result;
      }
      if (impl === 'sandbox') {
        const res = await runSandboxOnly(bodies[w], cfg.maxAgents);
        if (res.agents !== calls[w]) throw new Error(`sandbox ${w}: expected ${calls[w]} agents, got ${res.agents}`);
        return res.result;
      }
      const journalPath = impl === 'vmJournal' ? path.join(rig.dir, `vm-journal-${journalNo++}.jsonl`) : undefined;
      const res = await runInVm(bodies[w], { runner: vmRunner, concurrency: cfg.concurrency, journalPath });
      if (res.agents !== calls[w]) throw new Error(`${impl} ${w}: expected ${calls[w]} agents, got ${res.agents}`);
      return res.result;
    });
    if (value !== expected[w])
      throw new Error(`${impl} ${w}: expected result ${expected[w]}, got ${JSON.stringify(value)}`);
    return sample;
  };

  const impls: Impl[] = cfg.impls ?? ['engine', 'sandbox', 'vm', 'vmJournal'];
  const workloads: Workload[] = ['empty', 'parallel', 'pipeline'];
  const samples = new Map<string, Sample[]>();
  try {
    for (let round = 0; round < cfg.warmup + cfg.iterations; round++) {
      for (const impl of impls) {
        for (const w of workloads) {
          if (cfg.pauseMs && (impl === 'engine' || impl === 'sandbox')) await pause(cfg.pauseMs);
          const s = await runOnce(impl, w);
          if (round < cfg.warmup) continue;
          const k = `${impl}.${w}`;
          samples.set(k, [...(samples.get(k) ?? []), s]);
        }
      }
      log(`  overhead round ${round + 1}/${cfg.warmup + cfg.iterations}${round < cfg.warmup ? ' (warm-up)' : ''}`);
    }
  } finally {
    rig.cleanup();
  }

  const out: OverheadResult = {};
  for (const impl of impls) {
    const byWorkload = (out[impl] = {} as Record<Workload, CaseStats>);
    const base = medianOf(samples.get(`${impl}.empty`)!);
    for (const w of workloads) {
      const m = medianOf(samples.get(`${impl}.${w}`)!);
      const st: CaseStats = { wallMs: m.wallMs, cpuMs: m.cpuMs, mainMs: m.mainMs, calls: calls[w] };
      if (calls[w] > 0) {
        st.perCallUs = ((m.wallMs - base.wallMs) * 1000) / calls[w];
        st.perCallCpuUs = ((m.cpuMs - base.cpuMs) * 1000) / calls[w];
        st.perCallMainUs = ((m.mainMs - base.mainMs) * 1000) / calls[w];
      }
      byWorkload[w] = st;
    }
  }
  return out;
}
