// The runs folder of a workspace (spec §7 row 3): one directory per run with the script, its
// args, the journal, transcripts and a run record. Shared by the CLI and the VS Code extension.
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorInfo, PauseInfo, RunCaps, RunPlan, RunStatus, TokenUsage } from '../types';
import { RunLock, lockOwner } from './runLock';
import { JournalWriter, type RunJournal } from './journalFile';

export interface RunRecord {
  runId: string;
  name: string;
  description: string;
  status: RunStatus;
  /** Where the script came from (path), if any. */
  scriptFile?: string;
  /**
   * sha256 (hex) of script.js as the run last started or resumed it. Resume checks the stored copy
   * against it, so a script.js rewritten after the run (by an agent, a command, a checkout) is not
   * run unseen. Absent in runs recorded before it existed.
   */
  scriptSha256?: string;
  createdAt: number;
  updatedAt: number;
  durationMs?: number;
  agents: { total: number; done: number; cached: number; failed: number; skipped: number };
  usage: TokenUsage;
  result?: unknown;
  error?: ErrorInfo;
  /** Set while status is 'paused': the cap that held the next agent. */
  paused?: PauseInfo;
  /**
   * The caps the run last started or resumed with. A resume that names no cap keeps them, so a
   * capped run is never resumed uncapped by omission; a cap it names replaces that one.
   */
  caps?: RunCaps;
  /** The priced plan the run started with, once made (absent when it could not be made). */
  plan?: RunPlan;
  /** First MAX_RECORD_LOGS log lines. */
  logs: string[];
  /** Process that runs it while status is 'running'. */
  pid?: number;
  /**
   * Locale and time zone the script's Intl and toLocale* use when it names none: the host's when
   * the run started, kept for resumes so prompts (and journal keys) come out the same elsewhere.
   */
  locale?: string;
  timeZone?: string;
}

export const RUN_ID_PATTERN = /^wf_[a-z0-9-]{6,}$/;
export const MAX_RECORD_LOGS = 1000;

const DIR_MODE = 0o700; // runs hold prompts, results and transcripts: owner only
const FILE_MODE = 0o600;

/** Throws unless runId is one of ours; it becomes a path segment, so this blocks traversal. */
export function assertRunId(runId: string): void {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new Error(`Invalid run id ${JSON.stringify(runId)}: expected "wf_" followed by letters, digits or dashes`);
  }
}

/** The hash a run record keeps of its script: sha256 of the exact text (UTF-8), hex. */
export function scriptHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

/** What resume finds in a run's script.js, compared with the hash its record keeps. */
export type StoredScriptCheck =
  | { state: 'unchanged'; source: string }
  /** The record keeps no hash (a run from before hashes were kept): the copy cannot be checked. */
  | { state: 'unrecorded'; source: string }
  | { state: 'changed'; source: string; expected: string; found: string }
  | { state: 'missing' };

/** Why a changed script.js is not resumed; `next` says what to do in the host that refuses. */
export function changedScriptMessage(
  runId: string,
  check: { expected: string; found: string },
  scriptPath: string,
  next: string,
): string {
  return (
    `script.js of run ${runId} was changed after the run started (expected sha256 ${check.expected}, found ${check.found}); refusing to resume. ` +
    `Something rewrote ${scriptPath} (an agent, a command or another program): read it before trusting it. ${next}`
  );
}

/** Why a run without a recorded hash is not resumed unasked; `next` as above. */
export function unrecordedScriptMessage(runId: string, scriptPath: string, next: string): string {
  return `Run ${runId} was recorded without a script hash (an older version started it), so ${scriptPath} cannot be checked for changes since the run started. ${next}`;
}

export class FileRunStore {
  constructor(readonly root: string) {}

  /** <workspaceRoot>/.claude/workflow-runs (a .gitignore of "*" is written with the first run). */
  static forWorkspace(workspaceRoot: string): FileRunStore {
    return new FileRunStore(path.join(workspaceRoot, '.claude', 'workflow-runs'));
  }

  newRunId(): string {
    return 'wf_' + randomUUID().slice(0, 12);
  }

  create(runId: string, init: { source: string; args: unknown; record: RunRecord }): void {
    assertRunId(runId);
    if (init.record.runId !== runId) throw new Error(`Run record id ${init.record.runId} does not match ${runId}`);
    this.ensureRoot();
    fs.mkdirSync(this.dir(runId), { mode: DIR_MODE }); // throws EEXIST: never overwrite a run
    fs.mkdirSync(this.transcriptsDir(runId), { mode: DIR_MODE });
    writeFile(this.scriptPath(runId), init.source);
    this.writeArgs(runId, init.args);
    this.writeRecord(init.record);
  }

  dir(runId: string): string {
    assertRunId(runId);
    return path.join(this.root, runId);
  }
  scriptPath(runId: string): string {
    return path.join(this.dir(runId), 'script.js');
  }
  journalPath(runId: string): string {
    return path.join(this.dir(runId), 'journal.jsonl');
  }
  transcriptsDir(runId: string): string {
    return path.join(this.dir(runId), 'transcripts');
  }
  private argsPath(runId: string): string {
    return path.join(this.dir(runId), 'args.json');
  }
  recordPath(runId: string): string {
    return path.join(this.dir(runId), 'run.json');
  }

  /** Opens the run's journal for appending; `warn` hears about repaired tampering. */
  openJournal(runId: string, warn: (message: string) => void): RunJournal {
    return new JournalWriter(this.journalPath(runId), warn);
  }

  /** Replaces the stored script (tmp + rename: a symlink put at script.js is replaced, never followed). */
  writeScript(runId: string, source: string): void {
    writeAtomic(this.scriptPath(runId), source);
  }

  readScript(runId: string): string | undefined {
    return readText(this.scriptPath(runId));
  }

  /** The stored script and whether it is still the one `record` started (its scriptSha256). */
  checkScript(record: Pick<RunRecord, 'runId' | 'scriptSha256'>): StoredScriptCheck {
    const source = this.readScript(record.runId);
    if (source === undefined) return { state: 'missing' };
    const expected = record.scriptSha256;
    if (typeof expected !== 'string' || expected === '') return { state: 'unrecorded', source };
    const found = scriptHash(source);
    return found === expected ? { state: 'unchanged', source } : { state: 'changed', source, expected, found };
  }

  /** `{args}`; args that were undefined come back undefined (stored as `{}`). */
  readArgs(runId: string): { args: unknown } | undefined {
    const text = readText(this.argsPath(runId));
    if (text === undefined) return undefined;
    try {
      const v = JSON.parse(text) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      return { args: (v as { args?: unknown }).args };
    } catch {
      return undefined;
    }
  }

  writeArgs(runId: string, args: unknown): void {
    // Wrapped so `undefined` round-trips (JSON.stringify drops the field) and args stay reusable
    // byte-exactly on resume (spec §7 row 4).
    writeAtomic(this.argsPath(runId), JSON.stringify({ args }));
  }

  /** undefined if missing or unreadable. */
  readRecord(runId: string): RunRecord | undefined {
    const text = readText(this.recordPath(runId));
    if (text === undefined) return undefined;
    try {
      const v = JSON.parse(text) as RunRecord;
      if (v === null || typeof v !== 'object' || v.runId !== runId || typeof v.status !== 'string') return undefined;
      return v;
    } catch {
      return undefined;
    }
  }

  /** Atomic (tmp file + rename): a reader or a crash never sees half a record. */
  writeRecord(record: RunRecord): void {
    const dir = this.dir(record.runId);
    if (!fs.existsSync(dir)) {
      this.ensureRoot();
      fs.mkdirSync(dir, { mode: DIR_MODE, recursive: true });
    }
    const capped =
      record.logs.length > MAX_RECORD_LOGS ? { ...record, logs: record.logs.slice(0, MAX_RECORD_LOGS) } : record;
    writeAtomic(this.recordPath(record.runId), JSON.stringify(capped, null, 2));
  }

  /** Whether any run folder exists: a directory listing, without reading records (for menus). */
  hasRuns(): boolean {
    try {
      return fs.readdirSync(this.root).some((name) => RUN_ID_PATTERN.test(name));
    } catch {
      return false;
    }
  }

  /** All readable runs, newest first. */
  list(): RunRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.root);
    } catch {
      return [];
    }
    const out: RunRecord[] = [];
    for (const name of names) {
      if (!RUN_ID_PATTERN.test(name)) continue;
      const r = this.readRecord(name);
      if (r) out.push(r);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || b.updatedAt - a.updatedAt);
  }

  /**
   * 'running' and a live process holds the run's lock (runLock.ts); a 'running' record without
   * one crashed or was killed (shown as interrupted, resumable).
   */
  isLive(record: RunRecord): boolean {
    if (record.status !== 'running') return false;
    return lockOwner(this.dir(record.runId)) !== undefined;
  }

  /**
   * Deletes the run's folder (script copy, args, journal, transcripts, record). Takes the run's lock
   * first, so a run that a live process (this one included) runs or resumes is refused with
   * RunLockedError rather than pulled from under it. False when there is no such run.
   */
  remove(runId: string): boolean {
    const dir = this.dir(runId);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      return false;
    }
    // Not ours to empty: a link is removed, never followed.
    if (!stat.isDirectory()) {
      fs.rmSync(dir, { force: true });
      return true;
    }
    const lock = RunLock.acquire(dir, runId);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      lock.release();
    }
    return true;
  }

  private ensureRoot(): void {
    fs.mkdirSync(this.root, { recursive: true, mode: DIR_MODE });
    const ignore = path.join(this.root, '.gitignore');
    // "*" keeps runs (prompts, results, transcripts) from being committed by accident.
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
  }
}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** A run file's text; undefined when missing, a symlink (not ours) or not a regular file. */
function readText(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates `file` (never through an existing name or a symlink: O_EXCL) with owner-only access. */
function writeFile(file: string, text: string): void {
  const fd = fs.openSync(
    file,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW,
    FILE_MODE,
  );
  try {
    fs.writeFileSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFile(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
