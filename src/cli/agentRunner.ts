// The shipped runner factory: the shared assembly (src/host) with dwf's ports — the approver that
// fits the terminal (or its absence), stderr as the log — and --allow as strict rules.
import { assembleAgentRunner, SettingsRefusal } from '../host/agentAssembly';
import type { Approver } from '../core';
import { headlessApprover, HEADLESS_HINT, terminalApprover } from './approver';
import type { CliRunner, RunnerFactory } from './runnerFactory';

export const agentRunnerFactory: RunnerFactory = async (ctx) => {
  const approver: Approver = ctx.interactive
    ? terminalApprover(process.stdin, process.stderr, ctx.suspendProgress ?? ((fn) => fn()))
    : headlessApprover(ctx.yes);
  const log = {
    info: (m: string) => process.stderr.write(`${m}\n`),
    warn: (m: string) => process.stderr.write(`warning: ${m}\n`),
  };
  try {
    const { runner, warnings } = await assembleAgentRunner(
      {
        roots: [ctx.workspaceRoot],
        personal: ctx.personal,
        runsDir: ctx.runsDir,
        apiKey: ctx.apiKey,
        baseURL: ctx.baseURL,
        model: ctx.model,
        requestConcurrency: ctx.concurrency,
        worktreeBase: ctx.worktreeBase,
        allow: { source: '--allow', rules: ctx.allow, strict: true },
        pluginDirs: ctx.pluginDirs,
        ...(ctx.interactive ? {} : { headless: { yes: ctx.yes, hint: HEADLESS_HINT } }),
        env: process.env,
        usageLimitMs: usageLimitThreshold(process.env),
      },
      { approver, log },
    );
    // Before the run starts, so they are not lost under the live view.
    for (const w of warnings) log.warn(w);
    if (ctx.agents === 'remote' && !ctx.engineUrl)
      throw new Error('--agents remote needs the engine: --engine <postgres url> or DWF_ENGINE_URL');
    if (!ctx.engineUrl) return runner satisfies CliRunner;
    // The engine's code (DBOS, pg) loads only for runs that may use it.
    const { RemoteRunner, gitApplyPatch } = await import('../host/remote');
    const { packageVersion } = await import('../host/packageVersion');
    const remote = new RemoteRunner(runner, {
      url: ctx.engineUrl,
      mode: ctx.agents === 'remote' ? 'all' : 'marked',
      workspaceRoot: ctx.workspaceRoot,
      runsDir: ctx.runsDir,
      approver,
      interactive: ctx.interactive,
      yes: ctx.yes,
      allow: ctx.allow,
      model: ctx.model,
      headlessHint: HEADLESS_HINT,
      applyPatch: (patch) => gitApplyPatch(ctx.workspaceRoot, patch),
      env: ctx.env ?? process.env,
      log: log.info,
      version: packageVersion(),
    });
    if (ctx.agents === 'remote') {
      try {
        await remote.connect();
      } catch (e) {
        await remote.close();
        throw e;
      }
    }
    return remote satisfies CliRunner;
  } catch (e) {
    // Every problem on its own line first; execute() turns the throw into exit 2.
    if (e instanceof SettingsRefusal) for (const p of e.problems) log.warn(p);
    throw e;
  }
};

/**
 * Test-only: DWF_USAGE_LIMIT_THRESHOLD_MS lowers the one-minute wait past which a 429 counts as a
 * usage limit, so an end-to-end test can pause on a 2-second retry-after. Read here only; anything
 * but a positive whole number is ignored.
 */
function usageLimitThreshold(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.DWF_USAGE_LIMIT_THRESHOLD_MS;
  return raw && /^[1-9]\d*$/.test(raw) ? Number(raw) : undefined;
}
