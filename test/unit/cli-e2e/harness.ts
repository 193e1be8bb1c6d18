// Runs the shipped `dwf` binary (dist/cli.js) as a child process, as a person or a CI job would:
// a temp git repository as the working directory, its own HOME and CLAUDE_CONFIG_DIR, CI=1, no
// TTY, and ANTHROPIC_BASE_URL pointing at a FakeAnthropicServer in the test process.
import type { JsonSummary } from '../../../src/cli/summary';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstUserText, FakeAnthropicServer } from '../../fakes/fakeAnthropic';

/** The project root (this file runs from out/test/unit/cli-e2e). */
export const PROJECT = path.resolve(__dirname, '../../../..');
export const CLI = path.join(PROJECT, 'dist', 'cli.js');
const BUNDLE_PARTS = [
  'cli.js',
  'sandboxWorker.js',
  'structuredOutputWorker.js',
  'htmlWorker.js',
  'netBridge.js',
  'emscripten-module.wasm',
].map((f) => path.join(PROJECT, 'dist', f));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

let built = false;

/** Builds dist/ with `node esbuild.mjs` when a part is missing or older than a file in src/. */
/** A dwf end-to-end suite's usual hooks: the binary built once, a fresh fake model and temporary repository per test. */
export function dwfFixture(): { server: FakeAnthropicServer; repo: Repo } {
  const f = {} as { server: FakeAnthropicServer; repo: Repo };
  before(() => ensureBuilt());
  beforeEach(async () => {
    f.server = await FakeAnthropicServer.start({ apiKey: 'test' });
    f.repo = tempRepo();
  });
  afterEach(async () => {
    await f.server.close();
    f.repo.cleanup();
  });
  return f;
}

export function ensureBuilt(): void {
  if (built) return;
  const oldest = Math.min(...BUNDLE_PARTS.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  if (oldest < newestMtime(path.join(PROJECT, 'src')) || oldest === 0) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: PROJECT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
  built = true;
}

export interface Repo {
  /** Holds repo/, home/ and config/. */
  tmp: string;
  /** The workspace: a fresh `git init` repository, the child's working directory. */
  root: string;
  home: string;
  config: string;
  write(rel: string, text: string): string;
  read(rel: string): string;
  exists(rel: string): boolean;
  /** <root>/.claude/workflow-runs/<runId>/journal.jsonl */
  journal(runId: string): string;
  cleanup(): void;
}

export function tempRepo(): Repo {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-e2e-')));
  const root = path.join(tmp, 'repo');
  const home = path.join(tmp, 'home');
  const config = path.join(tmp, 'config');
  for (const d of [root, home, config]) fs.mkdirSync(d, { recursive: true });
  const git = spawnSync('git', ['init', '-q', root], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git init failed: ${git.stderr}`);
  return {
    tmp,
    root,
    home,
    config,
    write(rel, text) {
      const file = path.join(root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    read: (rel) => fs.readFileSync(path.join(root, rel), 'utf8'),
    exists: (rel) => fs.existsSync(path.join(root, rel)),
    journal: (runId) => path.join(root, '.claude', 'workflow-runs', runId, 'journal.jsonl'),
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}

/** The `--json` summary object (issue 3): the binary's own contract type. */
export type Summary = JsonSummary;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Dwf {
  child: ChildProcess;
  /** What the child has written so far. */
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Exit>;
  /** Resolves once stderr matches (rejects if the child exits first or after timeoutMs). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export interface DwfOptions {
  /** ANTHROPIC_BASE_URL; omitted when undefined. */
  server?: FakeAnthropicServer;
  /** Extra environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
}

/** The child's environment: nothing Anthropic-related or terminal-ish leaks in from ours. */
export function childEnv(repo: Repo, opts: DwfOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(ANTHROPIC_|CLAUDE_)/.test(k) && k !== 'FORCE_COLOR') env[k] = v;
  Object.assign(env, {
    HOME: repo.home,
    CLAUDE_CONFIG_DIR: repo.config,
    CI: '1',
    ANTHROPIC_API_KEY: 'test',
    NO_COLOR: '1',
  });
  if (opts.server) env.ANTHROPIC_BASE_URL = opts.server.url;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function dwf(repo: Repo, argv: string[], opts: DwfOptions = {}): Dwf {
  const child = spawn(process.execPath, [CLI, ...argv], {
    cwd: repo.root,
    env: childEnv(repo, opts),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let done = false;
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of watchers) w();
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    // 'close': the exit status and every byte of output.
    child.on('close', (code, signal) => {
      done = true;
      for (const w of watchers) w();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForStderr(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`timed out waiting for ${re} on stderr:\n${stderr}`)),
          timeoutMs,
        );
        const check = () => {
          const m = stderr.match(re);
          if (m) finish(undefined, m);
          else if (done) finish(new Error(`dwf exited before ${re} appeared on stderr:\n${stderr}`));
        };
        const finish = (err?: Error, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          watchers.delete(check);
          if (err) reject(err);
          else resolve(m!);
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/** Runs dwf to completion. */
export function runDwf(repo: Repo, argv: string[], opts: DwfOptions = {}): Promise<Exit> {
  return dwf(repo, argv, opts).exited;
}

/** The last stdout line as the --json summary (fails with both streams when it does not parse). */
export function summaryOf(exit: Exit): Summary {
  const lines = exit.stdout.split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  try {
    return JSON.parse(last ?? '') as Summary;
  } catch {
    throw new Error(
      `the last stdout line is not JSON (exit ${exit.code}):\nstdout:\n${exit.stdout}\nstderr:\n${exit.stderr}`,
    );
  }
}

/** "exit 0" plus the streams, for assertion messages. */
export function describeExit(exit: Exit): string {
  return `exit ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}\nstdout:\n${exit.stdout}\nstderr:\n${exit.stderr}`;
}

/** How many requests the fake server received per agent prompt (the conversation's first user text). */
export function requestsByPrompt(server: FakeAnthropicServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of server.requests) {
    const p = firstUserText(r.body);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

export interface JournalEntry {
  type: string;
  key?: string;
  agentId?: string;
  label?: string;
  result?: unknown;
}

/** The journal's complete lines (a torn last line is skipped). */
export function readJournal(file: string): JournalEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      /* torn by the kill */
    }
  }
  return out;
}

/** Labels of the agents whose result line reached the journal. */
export function finishedLabels(entries: JournalEntry[]): Set<string> {
  const labelOf = new Map<string, string>();
  for (const e of entries) if (e.type === 'started' && e.key && e.label) labelOf.set(e.key, e.label);
  const out = new Set<string>();
  for (const e of entries) if (e.type === 'result' && e.key && labelOf.has(e.key)) out.add(labelOf.get(e.key)!);
  return out;
}
