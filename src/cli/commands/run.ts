// `dwf run <file | saved name>`: a path that exists is run as a file, anything else by name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommand } from '../args';
import {
  runPlanOf,
  MAX_SCRIPT_BYTES,
  ScriptError,
  ScriptFileError,
  discoverWorkflows,
  parseWorkflowScript,
  readCappedFile,
  type PricedPlan,
  type ParsedScript,
} from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { Rejected, formatScriptError } from '../errors';
import { displayPath, workspaceOf, type CliWorkspace } from '../workspace';
import { RUN_OPTIONS, runFlags } from './runFlags';
import { execute } from './execute';
import { planOf } from '../runPlan';
import { CONFIRM_OPTIONS, confirmLargeRun, confirmThresholds } from '../largeRunGate';

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    'run',
    argv,
    { ...RUN_OPTIONS, ...CONFIRM_OPTIONS },
    {
      min: 1,
      max: 1,
      names: 'the workflow file or saved name',
    },
  );
  if (values.help) return printHelp(io, HELP.run);
  const flags = runFlags(values, 'run');
  const thresholds = confirmThresholds(values, 'run');
  const ws = workspaceOf(io, flags.pluginDirs);
  const file = await resolveTarget(positionals[0], ws, io);
  const display = displayPath(ws.cwd, file);
  const script = await readScript(file, display);
  // Made once: the large-run question and the run's kept plan are the same plan.
  let planned: Promise<PricedPlan | undefined> | undefined;
  const priced = () => (planned ??= planOf(script, flags.args, ws, flags.model).catch(() => undefined));
  return execute(io, {
    ws,
    flags,
    scriptDisplay: display,
    // The absolute path: workflow({scriptPath}) inside the script resolves relative to it.
    start: (engine, settings) => engine.start(script, { ...settings, args: flags.args, scriptFile: file }),
    plan: async () => {
      const p = await priced();
      return p && runPlanOf(p);
    },
    confirm: (ctx) => confirmLargeRun(io, ctx, flags, thresholds, priced),
  });
}

export async function resolveTarget(target: string, ws: CliWorkspace, io: CliIo): Promise<string> {
  const asPath = path.resolve(ws.cwd, target);
  if (isFile(asPath)) return asPath;
  const { workflows, warnings } = await discoverWorkflows(ws.registry);
  const found = workflows.find((w) => w.name === target);
  if (found) return found.path;
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  if (/[\\/]|\.js$/.test(target)) throw new Rejected(`No such file: ${asPath}`);
  const names = workflows.map((w) => w.name);
  throw new Rejected(
    `No file and no saved workflow named "${target}". Saved workflows: ${names.length ? names.join(', ') : '(none)'}.`,
  );
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export async function readScript(file: string, display: string): Promise<ParsedScript> {
  // A capped read of a regular file: a huge file, a FIFO or a /proc file by mistake is not loaded whole.
  let source: string;
  try {
    source = await readCappedFile(file, MAX_SCRIPT_BYTES, display);
  } catch (e) {
    if (e instanceof ScriptFileError && e.problem === 'tooLarge')
      throw new Rejected(`${display}: script exceeds ${MAX_SCRIPT_BYTES} bytes`);
    throw new Rejected(`cannot read ${display}: ${(e as Error).message}`);
  }
  try {
    return parseWorkflowScript(source, file);
  } catch (e) {
    if (e instanceof ScriptError) throw new Rejected(formatScriptError(e, display));
    throw e;
  }
}
