// Everything the CLI touches outside itself, in one object: tests pass captured streams, a fake
// runner and a fake signal source; the binary passes the process.
import { visibleText } from '../core';
import type { RunnerFactory } from './runnerFactory';
import { defaultRunnerFactory } from './runnerFactory';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  /**
   * The terminal itself, for the one writer that moves the cursor (the live view), which escapes
   * the untrusted text it draws on its own. Absent: `write` is the terminal.
   */
  unguarded?: OutStream;
}

/**
 * A terminal stream on which no control character passes raw: whatever a script, a model or a
 * saved workflow's description puts in a message (OSC 52 writing the clipboard, `\r` or CSI
 * clear-line redrawing what the person reads) is printed as a visible escape. Newlines and tabs pass.
 * Pipes and files get the bytes as they are (the result is the program's output).
 */
export function guardTerminal(stream: OutStream): OutStream {
  if (!stream.isTTY) return stream;
  return {
    write: (chunk: string) => stream.write(visibleText(chunk, { multiline: true })),
    isTTY: true,
    get columns() {
      return stream.columns;
    },
    unguarded: stream,
  };
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
    stdout: guardTerminal(process.stdout),
    stderr: guardTerminal(process.stderr),
    stdin: process.stdin,
    createRunner,
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}
