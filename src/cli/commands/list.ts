// `dwf list`: saved workflows with where they come from.
import { list, parseCommand } from '../args';
import { discoverWorkflows } from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { table } from '../format';
import { displayPath, workspaceOf } from '../workspace';

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(
    'list',
    argv,
    { json: { type: 'boolean' }, 'plugin-dir': { type: 'string', multiple: true } },
    { min: 0, max: 0, names: '' },
  );
  if (values.help) return printHelp(io, HELP.list);
  const ws = workspaceOf(io, list(values, 'plugin-dir'));
  const { workflows, warnings } = await discoverWorkflows(ws.registry);
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  if (values.json) {
    io.stdout.write(JSON.stringify(workflows) + '\n');
    return 0;
  }
  if (workflows.length === 0) {
    io.stdout.write(`No saved workflows. Save a run's script with 'dwf save <runId> --project' or '--personal'.\n`);
    return 0;
  }
  const rows = [
    ['NAME', 'ORIGIN', 'DESCRIPTION', 'FILE'],
    ...workflows.map((w) => [w.name, w.origin, w.description, displayPath(ws.cwd, w.path)]),
  ];
  io.stdout.write(table(rows).join('\n') + '\n');
  return 0;
}
