// The two latency probes of the host benchmark and their statistics. Samples are taken one after
// the other with a short pause, so the probe observes the load instead of adding to it.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { median, r } from '../engine/report';

const GAP_MS = Number(process.env.BENCH_HOST_GAP_MS ?? 2);

export interface Samples {
  /** executeCommand('setContext', …): extension host → workbench → extension host. */
  roundTrip: number[];
  /** One setImmediate: how long the extension host's queued work delays the next callback. */
  loopLag: number[];
}

export interface Stats {
  n: number;
  median: number;
  p95: number;
}

export function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN;
}

export function stats(xs: number[]): Stats {
  return { n: xs.length, median: r(median(xs), 3), p95: r(p95(xs), 3) };
}

export function merge(a: Samples, b: Samples): Samples {
  return { roundTrip: [...a.roundTrip, ...b.roundTrip], loopLag: [...a.loopLag, ...b.loopLag] };
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
let probeValue = 0;

/**
 * Samples both probes until `keepGoing()` turns false or `max` samples were taken. setContext is
 * a command the workbench owns, so the call crosses the process boundary both ways, as a click on
 * one of the extension's commands does in the other direction; it is as cheap as a command gets.
 */
export async function sampleWhile(keepGoing: () => boolean, max = Infinity): Promise<Samples> {
  const s: Samples = { roundTrip: [], loopLag: [] };
  while (keepGoing() && s.roundTrip.length < max) {
    let t = performance.now();
    await vscode.commands.executeCommand('setContext', 'dynamicWorkflows.benchProbe', ++probeValue);
    s.roundTrip.push(performance.now() - t);
    t = performance.now();
    await new Promise((res) => setImmediate(res));
    s.loopLag.push(performance.now() - t);
    await sleep(GAP_MS);
  }
  return s;
}
