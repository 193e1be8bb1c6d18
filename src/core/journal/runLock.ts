// One writer per run (security model §6): `<runDir>/lock`, created with O_EXCL and holding the
// owner's pid, host, start time and (Linux) the process's kernel start tick, is taken before a
// run starts or resumes and removed when it ends. Two resumes started together: one gets it, the
// other is refused. A lock whose owner is gone (crash, SIGKILL) is stale and taken over.
//
// Stale means: same host and the pid is dead (kill(pid, 0) → ESRCH), or alive but a different
// process (its start tick differs: the pid was reused), or the pid is this process but no run
// here holds the lock. A lock from another host (a shared folder) cannot be checked and counts
// as live for OTHER_HOST_TTL_MS after it was taken.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const LOCK_FILE = 'lock';
const TAKEOVER_FILE = 'lock.takeover';
export const OTHER_HOST_TTL_MS = 24 * 60 * 60 * 1000;
/** An empty or unreadable lock younger than this is being written right now. */
const BEING_WRITTEN_MS = 10_000;

export interface LockOwner {
  pid: number;
  host: string;
  /** ms since epoch when the lock was taken. */
  since: number;
  /** Linux: the owner process's start time in clock ticks (/proc/<pid>/stat field 22). */
  procStart?: string;
  token: string;
}

/** Refusal: another live process runs this run. The message says what to do. */
export class RunLockedError extends Error {
  override name = 'RunLockedError';
  constructor(
    readonly runId: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      owner
        ? `Run ${runId} is already running (pid ${owner.pid}${owner.host !== os.hostname() ? ` on ${owner.host}` : ''}, since ${new Date(owner.since).toISOString()}). ` +
            'Wait for it or stop it; if that process is gone, the lock is stale and is cleared automatically.'
        : `Run ${runId} is being started or resumed by another process right now. Wait a moment and try again.`,
    );
  }
}

/** Tokens of the locks this process holds: a lock naming our pid but not listed here is stale. */
const held = new Set<string>();

function procStart(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (
      typeof v.pid === 'number' &&
      typeof v.host === 'string' &&
      typeof v.since === 'number' &&
      typeof v.token === 'string'
    )
      return v as LockOwner;
  } catch {
    // empty (being written, or a crash right after create) or damaged
  }
  return undefined;
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether the owner recorded in a lock is gone. */
export function isStale(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return Date.now() - owner.since > OTHER_HOST_TTL_MS;
  if (owner.pid === process.pid) return !held.has(owner.token);
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: it exists under another user — alive.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = procStart(owner.pid);
  return owner.procStart !== undefined && start !== undefined && start !== owner.procStart;
}

export class RunLock {
  private released = false;
  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {}

  /** Takes `<runDir>/lock` or throws RunLockedError; a stale lock is taken over. */
  static acquire(runDir: string, runId: string): RunLock {
    const file = path.join(runDir, LOCK_FILE);
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      since: Date.now(),
      procStart: procStart(process.pid),
      token: randomUUID(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryCreate(file, owner)) {
        held.add(owner.token);
        return new RunLock(file, owner);
      }
      const current = readOwner(file);
      if (current && !isStale(current)) throw new RunLockedError(runId, current);
      if (!current && ageMs(file) < BEING_WRITTEN_MS) throw new RunLockedError(runId, undefined);
      takeOver(runDir, file, current, runId);
    }
    throw new RunLockedError(runId, readOwner(file));
  }

  /** Removes the lock if it is still ours (never someone else's that took over a stale one). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.owner.token);
    if (readOwner(this.file)?.token === this.owner.token) fs.rmSync(this.file, { force: true });
  }
}

/** O_CREAT|O_EXCL, then the owner written and flushed. False when the lock exists. */
function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
      0o600,
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock, under a second O_EXCL file so two processes that both judged it stale
 * cannot each remove the lock the other just took. The lock is re-read under it: removed only if
 * it is still the stale one.
 */
function takeOver(runDir: string, file: string, stale: LockOwner | undefined, runId: string): void {
  const guard = path.join(runDir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = fs.openSync(guard, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A takeover that crashed midway leaves the guard behind; an old one is cleared.
    if (ageMs(guard) > BEING_WRITTEN_MS) fs.rmSync(guard, { force: true });
    throw new RunLockedError(runId, undefined);
  }
  fs.closeSync(fd);
  try {
    const now = readOwner(file);
    if (now?.token === stale?.token) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/** Who holds the run's lock now (a live owner), or undefined: for listings ("running" vs "interrupted"). */
export function lockOwner(runDir: string): LockOwner | undefined {
  const owner = readOwner(path.join(runDir, LOCK_FILE));
  return owner && !isStale(owner) ? owner : undefined;
}
