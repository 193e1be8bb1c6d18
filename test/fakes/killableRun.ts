// A child process for the SIGKILL test: runs a workflow with a slow FakeRunner and prints one
// line per finished agent, so the parent can kill it mid-run at a known point.
// Usage: node killableRun.js <runsDir> <scriptFile>
import * as fs from 'node:fs';
import { WorkflowEngine } from '../../src/core/run/engine';
import { FileRunStore } from '../../src/core/journal/runStore';
import { parseWorkflowScript } from '../../src/core/script';
import { FakeRunner } from './fakeRunner';
import { WORKER_PATH } from './engineHarness';

export function slowDelay(prompt: string): number {
  let h = 0;
  for (const c of prompt) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 20 + (h % 60);
}

if (require.main === module) {
  const [runsDir, scriptFile] = process.argv.slice(2);
  const runner = new FakeRunner({
    defaultDelayMs: 0,
    rules: [{ match: () => true, delayMs: (r) => slowDelay(r.prompt), reply: (r) => `done:${r.prompt}` }],
  });
  const engine = new WorkflowEngine({ runner, store: new FileRunStore(runsDir), workerPath: WORKER_PATH });
  const run = engine.start(parseWorkflowScript(fs.readFileSync(scriptFile, 'utf8'), scriptFile), {
    concurrency: 4,
    eventIntervalMs: 0,
  });
  process.stdout.write(`RUN ${run.runId}\n`);
  run.events.subscribe((batch) => {
    for (const e of batch) if (e.type === 'agent' && e.state === 'done') process.stdout.write(`DONE ${e.agentId}\n`);
  });
  void run.done.then((r) => process.stdout.write(`END ${r.status}\n`));
}
