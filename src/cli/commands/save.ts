// `dwf save <runId> --project|--personal`: the run's script becomes a saved workflow.
import { parseCommand, str, UsageError } from '../args';
import { SaveError, assertRunId, saveWorkflow } from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected } from '../errors';
import { displayPath, workspaceOf } from '../workspace';

export async function saveCommand(argv: string[], io: CliIo): Promise<number> {
  const options = {
    project: { type: 'boolean' },
    personal: { type: 'boolean' },
    name: { type: 'string' },
    force: { type: 'boolean' },
  } as const;
  const { values, positionals } = parseCommand('save', argv, options, {
    min: 1,
    max: 1,
    names: 'the run id (see dwf runs)',
  });
  if (values.help) return printHelp(io, HELP.save);
  if (!!values.project === !!values.personal) throw new UsageError('choose one of --project or --personal', 'save');
  const runId = positionals[0];
  try {
    assertRunId(runId);
  } catch (e) {
    throw new UsageError((e as Error).message, 'save');
  }
  const ws = workspaceOf(io);
  const record = ws.store.readRecord(runId);
  const source = ws.store.readScript(runId);
  if (!record || source === undefined)
    throw new Rejected(`No run ${runId} with a stored script in ${displayPath(ws.cwd, ws.store.root)}.`);
  const name = str(values, 'name') ?? record.name;
  try {
    const { path } = await saveWorkflow({
      source,
      name,
      scope: values.project ? 'project' : 'personal',
      cwd: ws.cwd,
      repoRoot: ws.root,
      personalDir: ws.registry.personalDir,
      overwrite: values.force === true,
    });
    io.stdout.write(path + '\n');
    return 0;
  } catch (e) {
    if (!(e instanceof SaveError)) throw e;
    io.stderr.write(
      `dwf save: ${e.message}${e.code === 'exists' ? ' (use --force to replace it, or --name to save under another name)' : ''}\n`,
    );
    return 1;
  }
}
