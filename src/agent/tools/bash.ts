// Bash: one shell command in the workspace, after the CommandGate allows it. The command runs in
// the OS sandbox (bubblewrap: own PID namespace, writable workspace only, no network by default)
// or, where that is unavailable and allowed, under a watchdog that kills it when dwf dies. Either
// way it leads its own process group so a timeout or an abort stops everything it started.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_LIMITS, type ToolContext, type ToolResult } from './context';
import { defineTool, messageOf, toolError } from './define';
import { OutputCapture } from './outputCapture';
import { commandEnvironment, defaultCommandSandbox, type CommandLaunch } from '../sandbox';

/** Claude Code's ceiling for `timeout`: 10 minutes. */
export const BASH_MAX_TIMEOUT_MS = 600_000;
/** Between SIGTERM and SIGKILL, so well-behaved programs can clean up. */
export const BASH_KILL_GRACE_MS = 2_000;
/** After the shell exits, how long background processes may keep its output open. */
export const BASH_DRAIN_MS = 250;

interface BashInput {
  command: string;
  timeout?: number;
  description?: string;
}

export const bashTool = defineTool<BashInput>({
  name: 'Bash',
  description: [
    'Runs a bash command in the working directory (a workspace folder) and returns its output (stdout and stderr together) and exit code.',
    '- Each call is a fresh shell: `cd` and variables do not carry over to the next call. There is no input: interactive commands fail.',
    '- Commands outside the allowed list may be refused (or wait for the person to approve); the refusal says why.',
    `- timeout is in milliseconds (default: the host's setting, normally ${DEFAULT_LIMITS.bashTimeoutMs}; at most ${BASH_MAX_TIMEOUT_MS}); at the timeout the command and everything it started are stopped.`,
    '- Long output is cut in the middle (start and end kept). Prefer Read, Grep and Glob to cat, grep and find.',
    '- Background processes (`&`) that still hold the output when the command ends are stopped.',
    '- Commands normally run in a sandbox: only the workspace folders and /tmp are writable (not .git/config, .git/hooks, .claude or .vscode), other processes are invisible, and the network reaches only the domains the person allowed (through an HTTP proxy set in HTTP_PROXY/HTTPS_PROXY), or none.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      command: { type: 'string', description: 'The command to execute' },
      timeout: {
        type: 'number',
        minimum: 1,
        description: `Optional timeout in milliseconds (max ${BASH_MAX_TIMEOUT_MS})`,
      },
      description: {
        type: 'string',
        description: 'Clear, concise description of what this command does in 5-10 words',
      },
    },
    required: ['command'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    if (input.command.trim() === '') return toolError('The command is empty.');
    if (ctx.signal.aborted) return toolError('The command was not run: the agent was stopped.');
    const verdict = await ctx.commands.check(input.command, ctx.cwd, ctx.signal);
    if (!verdict.allowed) return toolError(`The command was not run: ${verdict.reason}`);
    if (ctx.signal.aborted) return toolError('The command was not run: the agent was stopped.');
    const timeoutMs = Math.min(input.timeout ?? ctx.limits.bashTimeoutMs, BASH_MAX_TIMEOUT_MS);
    const plan = await (ctx.sandbox ?? defaultCommandSandbox()).prepare(input.command, ctx.cwd, ctx.workspace.roots);
    if (!plan.ok) return toolError(`The command was not run: ${plan.reason}`);
    const result = await runCommand(plan.launch, ctx, timeoutMs);
    const undone = plan.after?.();
    return undone ? { ...result, content: `${result.content}\n\n${undone}`, isError: true } : result;
  },
});

function runCommand(launch: CommandLaunch, ctx: ToolContext, timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve) => {
    // No credentials (the API key first of all) in the command's environment.
    const env = commandEnvironment(process.env);
    // detached: the shell (or bwrap) leads a new process group (and session: no terminal to prompt on).
    const child = spawn(launch.file, launch.args, {
      cwd: ctx.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const output = new OutputCapture(ctx.limits.outputChars);
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8'); // a character split across chunks stays whole
      // Secrets are scrubbed before the cut, so cutting cannot leave half a key behind.
      const scrub = ctx.secrets?.stream();
      stream.on('data', (chunk: Buffer) =>
        output.push(scrub ? scrub.push(decoder.write(chunk)) : decoder.write(chunk)),
      );
      stream.on('end', () => output.push(scrub ? scrub.push(decoder.end()) + scrub.end() : decoder.end()));
    }

    let stopped: 'timeout' | 'abort' | undefined;
    let strayKilled = false;
    let spawnError: Error | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const stop = (why: 'timeout' | 'abort') => {
      if (stopped || exit) return;
      stopped = why;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), BASH_KILL_GRACE_MS).unref());
    };
    const onAbort = () => stop('abort');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => stop('timeout'), timeoutMs));

    child.on('error', (e) => {
      spawnError = e; // bash missing, cwd gone…; 'close' still follows
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The shell is done, but a background child may hold the pipes open (`sleep 60 &`): give it
      // a moment to finish writing, then stop the group so this call ends.
      timers.push(
        setTimeout(() => {
          strayKilled = true;
          killGroup('SIGKILL');
        }, BASH_DRAIN_MS),
      );
    });
    child.on('close', () => {
      for (const t of timers) clearTimeout(t);
      ctx.signal.removeEventListener('abort', onAbort);
      if (stopped && exit === undefined) exit = { code: null, signal: 'SIGTERM' };
      resolve(result(output, { stopped, strayKilled, spawnError, exit, timeoutMs }));
    });
  });
}

function result(
  output: OutputCapture,
  r: {
    stopped?: 'timeout' | 'abort';
    strayKilled: boolean;
    spawnError?: Error;
    exit?: { code: number | null; signal: NodeJS.Signals | null };
    timeoutMs: number;
  },
): ToolResult {
  const text = output.text().replace(/\n+$/, '');
  const parts = [text === '' ? '(no output)' : text];
  if (r.spawnError) return toolError(`The command could not be started: ${messageOf(r.spawnError)}`);
  if (r.stopped === 'timeout') {
    parts.push(`[Command timed out after ${r.timeoutMs} ms; it and the processes it started were stopped.]`);
    return toolError(parts.join('\n'));
  }
  if (r.stopped === 'abort') {
    parts.push('[Command stopped: the agent was aborted.]');
    return toolError(parts.join('\n'));
  }
  if (r.strayKilled) parts.push('[Background processes still holding the output when the command ended were stopped.]');
  const code = r.exit?.code;
  if (code === null || code === undefined) {
    parts.push(`Killed by signal ${r.exit?.signal ?? 'unknown'}`);
    return toolError(parts.join('\n'));
  }
  parts.push(`Exit code: ${code}`);
  return code === 0 ? { content: parts.join('\n') } : toolError(parts.join('\n'));
}
