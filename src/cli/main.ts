// `dwf`: the headless host. main() takes its arguments and its whole environment as values, so
// tests drive it in-process; run as a program it uses the real process.
import * as path from 'node:path';
import { agentRunnerFactory } from './agentRunner';
import { UsageError } from './args';
import { Rejected } from './errors';
import { realIo, type CliIo } from './io';
import { COMMANDS, HELP, printHelp, type CommandName } from './usage';
import { runCommand } from './commands/run';
import { resumeCommand } from './commands/resume';
import { listCommand } from './commands/list';
import { runsCommand } from './commands/runs';
import { saveCommand } from './commands/save';
import { estimateCommand } from './commands/estimate';
import { engineCommand, workerCommand } from './commands/worker';
import { EXIT } from './summary';
import { hideCredentialsFromProc } from '../agent/sandbox/env';

export type { CliIo, OutStream, CliSignal } from './io';
export type { RunnerFactory, RunnerContext, CliRunner } from './runnerFactory';

const HANDLERS: Record<CommandName, (argv: string[], io: CliIo) => Promise<number>> = {
  run: runCommand,
  resume: resumeCommand,
  estimate: estimateCommand,
  list: listCommand,
  runs: runsCommand,
  save: saveCommand,
  worker: workerCommand,
  engine: engineCommand,
};

function isCommand(s: string | undefined): s is CommandName {
  return (COMMANDS as readonly string[]).includes(s ?? '');
}

/** Runs one command; resolves to the exit code (0 completed, 1 failed, 2 rejected, 3 paused, 130 stopped). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(HELP.main);
      return EXIT.rejected;
    }
    if (command === '--help' || command === '-h') return printHelp(io, HELP.main);
    if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined) return printHelp(io, HELP.main);
      if (!isCommand(topic)) throw new UsageError(`unknown command ${JSON.stringify(topic)}`);
      return printHelp(io, HELP[topic]);
    }
    if (!isCommand(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await HANDLERS[command](rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const where = e.command ? `dwf ${e.command}` : 'dwf';
      io.stderr.write(`${where}: ${e.message}\nRun '${where} --help' for usage.\n`);
      return EXIT.rejected;
    }
    if (e instanceof Rejected) {
      io.stderr.write(`${e.message}\n`);
      return EXIT.rejected;
    }
    io.stderr.write(`dwf: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  // The key leaves dwf's environment block (what /proc/<pid>/environ shows any process of this
  // user) and process.env before anything runs; only the CLI's own env object holds it.
  const secrets = hideCredentialsFromProc();
  // The bundle is dist/cli.js; the bundled workflows ship beside dist/ (npm package and .vsix alike).
  const bundledDir = path.join(__dirname, '..', 'workflows');
  void main(process.argv.slice(2), {
    ...realIo(agentRunnerFactory),
    env: { ...process.env, ...secrets },
    bundledDir,
  }).then((code) => {
    process.exitCode = code;
  });
}
