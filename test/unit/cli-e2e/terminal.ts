// Runs the shipped `dwf` on a real pseudo-terminal, as a person at a shell would: util-linux
// `script` gives the child a pty for stdin, stdout and stderr (both streams arrive together on
// script's stdout). The test answers a question once its text has appeared.
import { spawn } from 'node:child_process';
import { CLI, childEnv, type DwfOptions, type Repo } from './harness';

export interface TerminalExit {
  code: number | null;
  /** Everything the terminal showed, stdout and stderr interleaved, `\r\n` made `\n`. */
  screen: string;
}

export interface TerminalRun {
  /** Resolves once the screen matches (rejects if dwf exits first or after timeoutMs). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Types `text` at the terminal. */
  type(text: string): void;
  /** Ctrl+D at the start of a line: end of input. */
  endInput(): void;
  exited: Promise<TerminalExit>;
  /** The pid of `script`, whose descendants are dwf. */
  pid: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `dwf <argv>` on a terminal; CI is unset (a person's shell), other variables as the harness sets them. */
export function dwfOnTerminal(repo: Repo, argv: string[], opts: DwfOptions = {}): TerminalRun {
  const command = [process.execPath, CLI, ...argv].map(quote).join(' ');
  const env = childEnv(repo, { ...opts, env: { CI: undefined, TERM: 'xterm', ...opts.env } });
  // -q: no "Script started" banner; -e: script exits with dwf's exit code; -c: the command; no log file.
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repo.root, env, stdio: 'pipe' });
  let screen = '';
  let done = false;
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d.replace(/\r\n/g, '\n');
    for (const w of watchers) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (screen += d));
  const exited = new Promise<TerminalExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      done = true;
      for (const w of watchers) w();
      resolve({ code, screen });
    });
  });
  return {
    exited,
    pid: child.pid!,
    type: (text) => void child.stdin.write(text),
    endInput: () => void child.stdin.write('\x04'),
    waitFor(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`timed out waiting for ${re} on the terminal:\n${screen}`)),
          timeoutMs,
        );
        const check = () => {
          if (re.test(screen)) finish();
          else if (done) finish(new Error(`dwf exited before ${re} appeared on the terminal:\n${screen}`));
        };
        const finish = (err?: Error) => {
          clearTimeout(timer);
          watchers.delete(check);
          if (err) reject(err);
          else resolve();
        };
        watchers.add(check);
        check();
      });
    },
  };
}
