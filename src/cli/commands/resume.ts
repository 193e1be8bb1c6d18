// `dwf resume <runId>`: the run's stored script (the copy taken at start, not today's file) and
// its stored args unless --args is given; finished agents are replayed from the journal. The copy
// runs only while its sha256 matches the run record: a rewritten script.js is refused.
import { parseCommand, UsageError } from '../args';
import {
  assertRunId,
  changedScriptMessage,
  parseWorkflowScript,
  runPlanOf,
  unrecordedScriptMessage,
  type ParsedScript,
} from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected } from '../errors';
import { displayPath, workspaceOf } from '../workspace';
import { RUN_OPTIONS, runFlags } from './runFlags';
import { execute } from './execute';
import { planOf } from '../runPlan';

export async function resumeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('resume', argv, RUN_OPTIONS, {
    min: 1,
    max: 1,
    names: 'the run id (see dwf runs)',
  });
  if (values.help) return printHelp(io, HELP.resume);
  const flags = runFlags(values, 'resume');
  const runId = positionals[0];
  try {
    assertRunId(runId);
  } catch (e) {
    throw new UsageError((e as Error).message, 'resume');
  }
  const ws = workspaceOf(io, flags.pluginDirs);
  const record = ws.store.readRecord(runId);
  if (!record)
    throw new Rejected(
      `No run ${runId} in ${displayPath(ws.cwd, ws.store.root)}. 'dwf runs' lists the runs of this workspace.`,
    );
  // A run already going (another `dwf`, the editor) is refused by the engine's run lock: exit 2.
  const stored = displayPath(ws.cwd, ws.store.scriptPath(runId));
  const check = ws.store.checkScript(record);
  if (check.state === 'missing')
    throw new Rejected(`Run ${runId} has no stored script (${stored}); run the script file again with 'dwf run'.`);
  if (check.state === 'changed')
    throw new Rejected(
      changedScriptMessage(
        runId,
        check,
        stored,
        "To continue, run the script file you trust with 'dwf run' (its agents run again).",
      ),
    );
  // No hash to check against: only someone who approves everything unasked (--yes) resumes it.
  if (check.state === 'unrecorded' && !flags.yes) {
    throw new Rejected(
      unrecordedScriptMessage(
        runId,
        stored,
        `Read it; to resume it as it is, pass --yes (which also approves every command its agents ask to run), or run the script file you trust with 'dwf run'.`,
      ),
    );
  }
  if (check.state === 'unrecorded')
    io.stderr.write(`warning: resuming ${runId} with an unchecked ${stored} (no script hash recorded; --yes given)\n`);
  let script: ParsedScript | undefined;
  const args = flags.argsGiven ? flags.args : ws.store.readArgs(runId)?.args;
  return execute(io, {
    ws,
    flags,
    scriptDisplay: record.scriptFile ? displayPath(ws.cwd, record.scriptFile) : `${runId}/script.js`,
    // The exact text just checked is what runs (the engine does not read script.js again).
    start: (engine, settings) =>
      engine.resume(runId, {
        ...settings,
        args: flags.args,
        argsGiven: flags.argsGiven,
        script: (script = parseWorkflowScript(check.source, record.scriptFile ?? ws.store.scriptPath(runId))),
      }),
    // Only for a run whose record keeps no plan (one from before plans were kept).
    plan: async () => (script ? runPlanOf(await planOf(script, args, ws, flags.model)) : undefined),
  });
}
