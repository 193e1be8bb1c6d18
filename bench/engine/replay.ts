// §2 of the benchmark: a fresh 1000-agent parallel run, then engine.resume(runId) of the same run
// so every agent replays from the journal. The same pair for a zero-agent script gives the fixed
// part (pooled worker + new QuickJS instance + run files) of each, so the per-agent replay cost can be separated.
import { performance } from 'node:perf_hooks';
import { createRig } from './rig';
import { emptyBody, parallelBody } from './scripts';
import { measure, median, medianOf, type Sample } from './report';
import { readJournal } from '../../src/core/journal/journalFile';
import { ReplayIndex } from '../../src/core/journal/replay';

export interface ReplayConfig {
  n: number;
  concurrency: number;
  warmup: number;
  iterations: number;
  /** Idle time before each measured run, so the previous run's leftovers (GC, worker return) settle. */
  pauseMs?: number;
}

export interface ReplayResult {
  n: number;
  fresh: Sample;
  resume: Sample;
  freshEmpty: Sample;
  resumeEmpty: Sample;
  /** resume wall / fresh wall (whole runs, start-up included), %. */
  replayPctTotal: number;
  /** Same with each side's zero-agent start-up subtracted (per-agent work only), %. */
  replayPctMarginal: number;
  /** Per replayed agent above the resume's own start-up, µs. */
  replayPerCallUs: number;
  freshPerCallUs: number;
  /** Parent-side journal read + replay index build for the n-agent journal, ms (part of resume). */
  journalReadMs: number;
  journalLines: number;
}

export async function replayBench(cfg: ReplayConfig, log: (s: string) => void): Promise<ReplayResult> {
  const rig = createRig({ defaultDelayMs: 0 });
  const s = { fresh: [] as Sample[], resume: [] as Sample[], freshEmpty: [] as Sample[], resumeEmpty: [] as Sample[] };
  const readMs: number[] = [];
  let journalLines = 0;
  const opts = { concurrency: cfg.concurrency };
  const settle = () => new Promise<void>((r) => setTimeout(r, cfg.pauseMs ?? 0));
  try {
    for (let round = 0; round < cfg.warmup + cfg.iterations; round++) {
      const keep = round >= cfg.warmup;
      await settle();
      const fe = await measure(() => rig.run(emptyBody, opts));
      await settle();
      const re = await measure(() => rig.resume(fe.value.runId, opts));
      const callsBefore = rig.runner.calls;
      await settle();
      const f = await measure(() => rig.run(parallelBody(cfg.n), opts));
      if (f.value.agents.done !== cfg.n) throw new Error(`fresh run: ${JSON.stringify(f.value.agents)}`);
      const afterFresh = rig.runner.calls;
      await settle();
      const r = await measure(() => rig.resume(f.value.runId, opts));
      if (r.value.agents.cached !== cfg.n || rig.runner.calls !== afterFresh) {
        throw new Error(
          `resume did not replay every agent: ${JSON.stringify(r.value.agents)}, live calls ${rig.runner.calls - afterFresh}`,
        );
      }
      if (afterFresh - callsBefore !== cfg.n) throw new Error(`fresh run made ${afterFresh - callsBefore} calls`);
      if (r.value.result !== f.value.result)
        throw new Error(`resume result ${JSON.stringify(r.value.result)} ≠ fresh ${JSON.stringify(f.value.result)}`);
      const t0 = performance.now();
      const { lines } = readJournal(rig.engine.store.journalPath(f.value.runId));
      ReplayIndex.fromLines(lines);
      const t1 = performance.now();
      journalLines = lines.length;
      if (keep) {
        s.freshEmpty.push(fe.sample);
        s.resumeEmpty.push(re.sample);
        s.fresh.push(f.sample);
        s.resume.push(r.sample);
        readMs.push(t1 - t0);
      }
      log(`  replay round ${round + 1}/${cfg.warmup + cfg.iterations}${keep ? '' : ' (warm-up)'}`);
    }
  } finally {
    rig.cleanup();
  }
  const fresh = medianOf(s.fresh);
  const resume = medianOf(s.resume);
  const freshEmpty = medianOf(s.freshEmpty);
  const resumeEmpty = medianOf(s.resumeEmpty);
  return {
    n: cfg.n,
    fresh,
    resume,
    freshEmpty,
    resumeEmpty,
    replayPctTotal: (100 * resume.wallMs) / fresh.wallMs,
    replayPctMarginal: (100 * (resume.wallMs - resumeEmpty.wallMs)) / (fresh.wallMs - freshEmpty.wallMs),
    replayPerCallUs: ((resume.wallMs - resumeEmpty.wallMs) * 1000) / cfg.n,
    freshPerCallUs: ((fresh.wallMs - freshEmpty.wallMs) * 1000) / cfg.n,
    journalReadMs: median(readMs),
    journalLines,
  };
}
