// The sandbox alone: SandboxHost + the QuickJS worker, with every agent op settled at once by the
// parent (no WorkflowRun: no journal, gate, runner, hashing or events). It goes through the same
// pooled worker, precompiled QuickJS module and JSON-text messages as the engine. The difference
// between the engine and this is the parent-side bookkeeping per agent; the difference between
// this and the vm baseline is the worker/QuickJS boundary itself.
import { SandboxHost } from '../../src/core/sandbox/sandboxHost';
import { parseWorkflowScript } from '../../src/core/script';
import { WORKER_PATH, withMeta } from '../../test/fakes/engineHarness';

export async function runSandboxOnly(body: string, maxAgents?: number): Promise<{ result: unknown; agents: number }> {
  const script = parseWorkflowScript(withMeta(body), 'bench.js');
  let agents = 0;
  return new Promise((resolve, reject) => {
    const host: SandboxHost = new SandboxHost(
      {
        ops(ops) {
          for (const op of ops) {
            if (op.op !== 'agent') continue;
            agents++;
            host.settle([op.id, true, JSON.stringify(`echo:${op.prompt}`)]);
          }
        },
        childDone() {},
        done(o) {
          if (!o.ok) return reject(new Error(`sandbox-only run failed: ${o.error.name}: ${o.error.message}`));
          resolve({ result: o.resultJson === undefined ? undefined : JSON.parse(o.resultJson), agents });
        },
      },
      WORKER_PATH,
    );
    host.start({
      compiled: script.compiled,
      file: script.file,
      argsJson: undefined,
      budgetTotal: null,
      maxAgents,
      spent: 0,
    });
  });
}
