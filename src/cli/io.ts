// Everything the CLI touches outside itself, in one object: tests pass captured streams, a fake
// runner and a fake signal source; the binary passes the process.
import type { RunnerFactory } from './runnerFactory';
import { defaultRunnerFactory } from './runnerFactory';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type CliSignal = 'SIGINT' | 'SIGTERM';

export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  stdin?: { isTTY?: boolean };
  createRunner: RunnerFactory;
  /** Registers a handler for the signal; returns the unregister function. */
  onSignal?(signal: CliSignal, handler: () => void): () => void;
}

export function realIo(createRunner: RunnerFactory = defaultRunnerFactory): CliIo {
  // `dwf runs | head` closes the pipe early; that is not an error worth a stack trace.
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    createRunner,
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}
