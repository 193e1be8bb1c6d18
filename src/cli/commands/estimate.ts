// `dwf estimate <file | name>`: the priced plan of a run before anything runs (issue 11 item 1).
// Nothing is started and no key is needed: the script is read, evaluated statically with the
// given args, and priced; earlier runs of the same workflow here supply tokens per call site.
import { parseCommand, scriptArgs, str } from '../args';
import { planJson, planLines } from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected } from '../errors';
import { displayPath, workspaceOf } from '../workspace';
import { planOf } from '../runPlan';
import { readScript, resolveTarget } from './run';

const OPTIONS = {
  args: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  'plugin-dir': { type: 'string', multiple: true },
} as const;

export async function estimateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('estimate', argv, OPTIONS, {
    min: 1,
    max: 1,
    names: 'the workflow file or saved name',
  });
  if (values.help) return printHelp(io, HELP.estimate);
  const rawArgs = str(values, 'args');
  const pluginDirs = Array.isArray(values['plugin-dir']) ? values['plugin-dir'] : [];
  const ws = workspaceOf(io, pluginDirs);
  const file = await resolveTarget(positionals[0], ws, io);
  const display = displayPath(ws.cwd, file);
  const script = await readScript(file, display);
  // Broken args are a usage error (exit 2), like run's; only the reading of the script is 'cannot estimate'.
  const args = rawArgs === undefined ? undefined : scriptArgs(rawArgs, 'estimate').args;
  let plan;
  try {
    plan = await planOf(script, args, ws, str(values, 'model'));
  } catch (e) {
    throw new Rejected(`${display}: cannot estimate: ${(e as Error).message}`);
  }
  if (values.json) {
    io.stdout.write(JSON.stringify(planJson(plan)) + '\n');
    return 0;
  }
  const head = `Plan for "${script.meta.name}" (${display})${rawArgs === undefined ? ', no args' : ''}`;
  io.stdout.write([head, ...planLines(plan)].join('\n') + '\n');
  return 0;
}
