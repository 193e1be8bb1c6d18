// Keeps finished sandbox workers for the next run. A worker that ran a script to its end is
// clean (each run gets a fresh QuickJS instance and heap), so reusing it skips the ~70 ms spawn
// and keeps its code warm. A worker that was terminated or misbehaved is never returned.
import { Worker } from 'node:worker_threads';

const MAX_IDLE = 2;
const idle = new Map<string, Worker[]>();

export function takeWorker(workerPath: string): Worker {
  const reused = idle.get(workerPath)?.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  // 16 MiB of native stack: deep data in a built-in then hits QuickJS's own guard first.
  return new Worker(workerPath, { resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 256 } });
}

export function returnWorker(workerPath: string, worker: Worker): void {
  worker.removeAllListeners('message');
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  const list = idle.get(workerPath) ?? [];
  if (list.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  // An idle worker must not keep the process (a CLI run, a test) alive.
  worker.unref();
  worker.once('exit', () => {
    const l = idle.get(workerPath);
    if (l)
      idle.set(
        workerPath,
        l.filter((w) => w !== worker),
      );
  });
  list.push(worker);
  idle.set(workerPath, list);
}
