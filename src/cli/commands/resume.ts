// `dwf resume <runId>`: the run's stored script (the copy taken at start, not today's file) and
// its stored args unless --args is given; finished agents are replayed from the journal.
import { parseCommand, UsageError } from '../args';
import { assertRunId } from '../../core/journal/runStore';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected } from '../errors';
import { displayPath, workspaceOf } from '../workspace';
import { RUN_OPTIONS, runFlags } from './runFlags';
import { execute } from './execute';

export async function resumeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('resume', argv, RUN_OPTIONS, { min: 1, max: 1, names: 'the run id (see dwf runs)' });
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
  if (!record) throw new Rejected(`No run ${runId} in ${displayPath(ws.cwd, ws.store.root)}. 'dwf runs' lists the runs of this workspace.`);
  // A run already going (another `dwf`, the editor) is refused by the engine's run lock: exit 2.
  return execute(io, {
    ws,
    flags,
    scriptDisplay: record.scriptFile ? displayPath(ws.cwd, record.scriptFile) : `${runId}/script.js`,
    start: (engine, settings) => engine.resume(runId, { ...settings, args: flags.args, argsGiven: flags.argsGiven }),
  });
}
