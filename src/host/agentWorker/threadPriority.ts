// The agent worker yields the CPU to the editor: on a busy machine (a dense run keeps the worker,
// the workbench and the model connection all wanting a core) the extension host's main thread and
// the workbench go first, so commands and the tree stay responsive; an idle core still runs the
// agents at full speed. Linux can renice one thread (its task id from /proc/thread-self); elsewhere
// this does nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** How much nicer than the main thread the worker runs (0–19; higher yields more). */
export const WORKER_NICENESS = 10;

/** Lowers the calling thread's scheduling priority; false where the platform cannot. */
export function yieldCpuToEditor(niceness = WORKER_NICENESS): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const task = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(task) || task <= 0) return false;
    os.setPriority(task, Math.min(19, os.getPriority(task) + niceness));
    return true;
  } catch {
    return false; // a sandbox without /proc, or a refused setpriority: run at the usual priority
  }
}
