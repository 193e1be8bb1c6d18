// Private temp directories (the commands' /tmp, the proxies' sockets) removed when the process
// exits, under one 'exit' listener for all of them: one per sandbox would pile up listeners.
import * as fs from 'node:fs';

const dirs = new Set<string>();
let listening = false;

export function removeAtExit(dir: string): void {
  if (!listening) {
    listening = true;
    process.once('exit', () => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  dirs.add(dir);
}

/** Removes `dir` now. */
export function removeNow(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}
