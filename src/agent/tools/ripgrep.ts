// Runs ripgrep for the Grep tool. ripgrep's regex engine runs in linear time, so no pattern a model
// writes can pin the host (a JavaScript RegExp over every file could, for minutes); and it runs in
// its own process, which a timeout or the agent's abort kills outright.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** ripgrep from VS Code's install, set by the extension host at activation (see useBundledRipgrep). */
let bundled: string | undefined;

/** The editor host passes `<appRoot>/node_modules/@vscode/ripgrep/bin/rg`: VS Code ships one. */
export function useBundledRipgrep(file: string | undefined): void {
  bundled = file;
}

/**
 * Where VS Code keeps its ripgrep under `vscode.env.appRoot`: @vscode/ripgrep (vscode-ripgrep
 * before 2021) or, in recent builds, @vscode/ripgrep-universal with one binary per platform;
 * desktop builds unpack it next to node_modules.asar.
 */
export function ripgrepInVsCode(
  appRoot: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string | undefined {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const bins = [
    path.join('@vscode', 'ripgrep', 'bin'),
    path.join('@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`),
    path.join('vscode-ripgrep', 'bin'),
  ];
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    for (const bin of bins) {
      const candidate = path.join(appRoot, modules, bin, exe);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export const RIPGREP_MISSING =
  'Grep needs ripgrep (rg), which was not found: install it (Debian/Ubuntu: apt-get install ripgrep; macOS: brew install ripgrep) or set DWF_RG to its path.';

/** DWF_RG, else VS Code's own rg when it exists, else `rg` from PATH. */
export function ripgrepCommand(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; file: string } | { ok: false; reason: string } {
  const explicit = env.DWF_RG?.trim();
  if (explicit) {
    return fs.existsSync(explicit)
      ? { ok: true, file: explicit }
      : { ok: false, reason: `DWF_RG is ${explicit}, which does not exist. ${RIPGREP_MISSING}` };
  }
  if (bundled && fs.existsSync(bundled)) return { ok: true, file: bundled };
  return { ok: true, file: 'rg' };
}

export interface RipgrepRun {
  args: string[];
  /** ripgrep matches --glob patterns relative to its working directory: the searched folder. */
  cwd: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Output records end with this byte ('\n' for --json and -c, '\0' for -l --null). */
  separator: '\n' | '\0';
  /** Called per record; returning false stops the search (enough output) and kills rg. */
  onRecord(record: string): boolean;
}

export interface RipgrepEnd {
  /** rg's exit code (0 found, 1 nothing found, 2 errors), null when it was killed. */
  code: number | null;
  stderr: string;
  /** onRecord asked to stop: the output is partial by choice. */
  stopped: boolean;
  timedOut: boolean;
  missing: boolean;
}

/** Most bytes one record may have: 2 MB files (--max-filesize) escaped as JSON stay well below. */
const MAX_RECORD_BYTES = 32 * 1024 * 1024;
const MAX_STDERR_CHARS = 4000;

export function runRipgrep(run: RipgrepRun): Promise<RipgrepEnd> {
  const command = ripgrepCommand();
  if (!command.ok)
    return Promise.resolve({ code: 2, stderr: command.reason, stopped: false, timedOut: false, missing: true });
  // No user config (RIPGREP_CONFIG_PATH could add --pre or --follow), and the agent's abort ends it.
  const env = { ...process.env };
  delete env.RIPGREP_CONFIG_PATH;
  const child = spawn(command.file, ['--no-config', ...run.args], {
    cwd: run.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    windowsHide: true,
  });

  return new Promise((resolve) => {
    let stopped = false;
    let timedOut = false;
    let missing = false;
    let stderr = '';
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const sep = run.separator.charCodeAt(0);

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const stop = () => {
      stopped = true;
      kill();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, run.timeoutMs);
    const onAbort = () => kill();
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.signal.aborted) kill();

    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      let start = 0;
      for (let i = chunk.indexOf(sep); i !== -1; i = chunk.indexOf(sep, start)) {
        pending.push(chunk.subarray(start, i));
        const record = Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = i + 1;
        if (!run.onRecord(record)) return stop();
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_RECORD_BYTES) stop();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8').slice(0, MAX_STDERR_CHARS - stderr.length);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') missing = true;
      stderr += e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      if (!stopped && pendingBytes > 0 && pendingBytes <= MAX_RECORD_BYTES)
        run.onRecord(Buffer.concat(pending).toString('utf8'));
      resolve({ code: missing ? 2 : code, stderr: missing ? RIPGREP_MISSING : stderr, stopped, timedOut, missing });
    });
  });
}
