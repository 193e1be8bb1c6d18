// The sandbox worker: one per run (reused for the next run once clean). Runs the script in
// QuickJS (sandboxSession.ts) and talks to the engine only through the messages of protocol.ts.
// Agents run in the parent.
import { parentPort } from 'node:worker_threads';
import { SandboxSession } from './sandboxSession';
import type { ParentMessage, WorkerMessage } from './protocol';

function post(msg: WorkerMessage): void {
  parentPort!.postMessage(msg);
}

if (parentPort) {
  let worker: SandboxSession | undefined;
  const early: ParentMessage[] = [];
  parentPort.on('message', (msg: ParentMessage) => {
    if (msg.t === 'start') {
      // A reused worker: the previous run is over; everything from here on is the new run's.
      worker = undefined;
      early.length = 0;
      const w = new SandboxSession(msg, post);
      w.init().then(
        () => {
          worker = w;
          for (const m of early.splice(0)) w.receive(m);
        },
        (e: Error) =>
          post({ t: 'done', ok: false, error: { name: e.name, message: `sandbox failed to start: ${e.message}` } }),
      );
    } else if (worker) worker.receive(msg);
    else early.push(msg);
  });
}
