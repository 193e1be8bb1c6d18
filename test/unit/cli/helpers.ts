// Drives main() in-process: captured streams, a FakeRunner behind the runner factory, an injected
// signal source, and a temp workspace (a `.git` folder marks its root) with its own config dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { guardTerminal, type CliIo, type CliSignal, type OutStream } from '../../../src/cli/io';
import type { RunnerContext } from '../../../src/cli/runnerFactory';
import { FakeRunner, type FakeRunnerOptions } from '../../fakes/fakeRunner';

export interface Sandbox {
  tmp: string;
  /** Workspace root (holds .git). */
  root: string;
  /** CLAUDE_CONFIG_DIR. */
  config: string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cli-')));
  const root = path.join(tmp, 'repo');
  const config = path.join(tmp, 'config');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  return {
    tmp,
    root,
    config,
    write(rel, text) {
      const file = path.resolve(root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}

export class Capture implements OutStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

export interface Cli {
  runner: FakeRunner;
  contexts: RunnerContext[];
  stdout: Capture;
  stderr: Capture;
  signals: Map<CliSignal, () => void>;
  io: CliIo;
  run(...argv: string[]): Promise<number>;
}

export interface CliOptions extends FakeRunnerOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  tty?: boolean;
  /** stderr is a terminal too (stdout may be a file: `dwf run x > out`). */
  stderrTty?: boolean;
  runner?: FakeRunner;
}

export function cli(box: Sandbox, options: CliOptions = {}): Cli {
  const runner = options.runner ?? new FakeRunner(options);
  const contexts: RunnerContext[] = [];
  const signals = new Map<CliSignal, () => void>();
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(options.stderrTty ?? false);
  const io: CliIo = {
    cwd: options.cwd ?? box.root,
    env: { ANTHROPIC_API_KEY: 'test-key', CLAUDE_CONFIG_DIR: box.config, HOME: box.tmp, ...options.env },
    // As realIo does: a terminal is guarded, a pipe is not.
    stdout: guardTerminal(stdout),
    stderr: guardTerminal(stderr),
    createRunner(ctx) {
      contexts.push(ctx);
      return runner;
    },
    onSignal(sig, handler) {
      signals.set(sig, handler);
      return () => signals.delete(sig);
    },
  };
  return { runner, contexts, stdout, stderr, signals, io, run: (...argv) => main(argv, io) };
}

/** The last stdout line, parsed. */
export function lastJson(c: Cli): Record<string, unknown> {
  const lines = c.stdout.lines();
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

export function runDirs(box: Sandbox): string[] {
  const dir = path.join(box.root, '.claude', 'workflow-runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith('wf_')) : [];
}

export const TWO_AGENTS = `export const meta = { name: 'two', description: 'two agents and a log', phases: [{ title: 'Find' }] }
phase('Find')
const r = await parallel([1, 2].map(i => () => agent('item ' + i, { label: 'item-' + i })))
log('found ' + r.length)
return r
`;
