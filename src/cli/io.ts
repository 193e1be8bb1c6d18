// Everything the CLI touches outside itself, in one object: tests pass captured streams, a fake
// runner and a fake signal source; the binary passes the process.
import * as readline from 'node:readline';
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
  /** One line the person types (the large-run question); undefined at end of input. */
  ask?(): Promise<string | undefined>;
  createRunner: RunnerFactory;
  /** The workflows shipped with dwf (listed as bundled); none when omitted (in-process tests). */
  bundledDir?: string;
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
    ask: () => readLine(process.stdin),
    createRunner,
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}

/** The next line of `input`, undefined when it ends first (Ctrl+D). The terminal echoes as it is typed. */
function readLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input, terminal: false });
    let line: string | undefined;
    rl.once('line', (l) => {
      line = l;
      rl.close();
    });
    rl.once('close', () => resolve(line));
  });
}
