// The run journal: append-only JSONL (spec §4.7 plus our own fields). Every append reaches the
// kernel before it returns, so a killed process never loses a line it reported as written.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { LiveReason, TokenUsage, WorktreeInfo } from '../types';

export type JournalLine =
  | { type: 'launched'; runId: string; scriptHash: string; at: number }
  | { type: 'resumed'; at: number; scriptHash: string }
  | {
      type: 'started';
      key: string;
      agentId: string;
      index: number;
      label: string;
      phase?: string;
      /** positionHash of the call's chain: where it sits in the program. */
      pos: string;
      /** contentHash of prompt + key options: what it asks for. */
      content: string;
      reason?: LiveReason;
    }
  | {
      type: 'result';
      key: string;
      agentId: string;
      result: unknown;
      toolsUsed?: string[];
      usage?: TokenUsage;
      model?: string;
      worktree?: WorktreeInfo;
    }
  | { type: 'failed'; key: string; agentId: string; reason: string; worktree?: WorktreeInfo };

/** O_NOFOLLOW where the platform has it: the journal is never written through a symlink. */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const WRITE_FLAGS = fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW; // read too: peek, copy
const COPY_CHUNK = 1 << 20;

interface Ident {
  dev: number;
  ino: number;
}

const same = (a: Ident, b: Ident) => a.dev === b.dev && a.ino === b.ino;

/**
 * Appends journal lines. The run folder belongs to the runtime: the writer holds an fd and, before
 * every write and on close, checks that `path` (and its folder) is still the file it holds. If an
 * agent replaced it (symlink, rename-over, removal), the intruder is moved aside, the journal is
 * rewritten at `path` from the fd's own content (everything ever written, on the old inode), and
 * a warning is reported. A symlink is never followed, so a link's target is never written.
 */
export class JournalWriter {
  private fd: number | undefined;
  private dirIdent: Ident | undefined;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.dirIdent = identOf(nodePath.dirname(path));
    this.fd = this.openFresh(false);
    // A process killed mid-write leaves a torn last line; terminate it so our first line
    // does not get glued onto it (which would lose ours too).
    try {
      const size = fs.fstatSync(this.fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        fs.readSync(this.fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) this.write('\n');
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  append(line: JournalLine): void {
    this.write(JSON.stringify(line) + '\n');
  }

  /** Several lines in one write (one syscall for a batch of settled agents). */
  appendMany(lines: JournalLine[]): void {
    if (lines.length === 0) return;
    let text = '';
    for (const l of lines) text += JSON.stringify(l) + '\n';
    this.write(text);
  }

  /** fdatasync: group commit for power-loss durability (appends alone survive a process kill). */
  sync(): void {
    fs.fdatasyncSync(this.openFd());
  }

  private syncing = false;
  private syncAgain = false;
  private onSyncError: ((error: Error) => void) | undefined;
  /** An fd whose close waits for the fdatasync in flight (its number must not be reused under it). */
  private closing: number | undefined;

  /**
   * The same flush on libuv's thread pool, coalesced: the host's main thread (an editor's
   * extension host) does not wait for the disk. Appends were written before this is called, so
   * a process kill still loses nothing; only a power cut can lose the last few milliseconds.
   * A failed flush (ENOSPC at write-back, EIO) goes to `onError`: the lines may not be on disk.
   */
  syncSoon(onError?: (error: Error) => void): void {
    if (onError) this.onSyncError = onError;
    if (this.fd === undefined) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    fs.fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (err) this.onSyncError?.(err);
      if (this.closing !== undefined) {
        const fd = this.closing;
        this.closing = undefined;
        fs.close(fd, () => undefined);
      } else if (this.syncAgain) {
        this.syncAgain = false;
        this.syncSoon();
      }
    });
  }

  close(): void {
    if (this.fd === undefined) return;
    // A swap after the last write is repaired too, so the next resume reads everything.
    try {
      this.ensureInPlace();
    } catch (e) {
      this.warn(`journal ${this.path}: could not check it before closing (${(e as Error).message})`);
    }
    const fd = this.fd;
    this.fd = undefined;
    this.release(fd);
  }

  private release(fd: number): void {
    if (this.syncing && this.closing === undefined) this.closing = fd;
    else fs.closeSync(fd);
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    return this.fd;
  }

  private write(text: string): void {
    this.ensureInPlace();
    const fd = this.openFd();
    const buf = Buffer.from(text, 'utf8');
    // writeSync may write less than asked; loop so the whole line is in the file on return.
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
  }

  /** Cheap check (two lstats, one fstat) that `path` is still our file in our folder. */
  private ensureInPlace(): void {
    const fd = this.openFd();
    const dir = nodePath.dirname(this.path);
    const dirNow = lstatOrUndefined(dir);
    const dirOk = !!dirNow && dirNow.isDirectory() && (!this.dirIdent || same(dirNow, this.dirIdent));
    const now = dirOk ? lstatOrUndefined(this.path) : undefined;
    if (dirOk && now && now.isFile() && same(now, fs.fstatSync(fd))) return;
    const why = !dirOk
      ? 'its run folder was replaced'
      : !now
        ? 'it was removed'
        : now.isSymbolicLink()
          ? 'it was replaced by a symbolic link'
          : 'it was replaced by another file';
    this.recover(fd, why, dirOk);
  }

  /** Moves the intruder aside, recreates the journal at `path` and copies our fd's content into it. */
  private recover(old: number, why: string, dirOk: boolean): void {
    const dir = nodePath.dirname(this.path);
    const stamp = `${Date.now()}`;
    let aside: string | undefined;
    if (!dirOk) {
      // Never write through a replaced folder (it may be a link to anywhere): move it aside, make ours.
      if (lstatOrUndefined(dir)) fs.renameSync(dir, (aside = `${dir}.replaced-${stamp}`));
      fs.mkdirSync(dir, { mode: 0o700 });
      this.dirIdent = identOf(dir);
    } else if (lstatOrUndefined(this.path)) {
      fs.renameSync(this.path, (aside = `${this.path}.replaced-${stamp}`));
    }
    const fresh = this.openFresh(true);
    const copied = copyAll(old, fresh);
    this.fd = fresh;
    this.release(old);
    this.warn(
      `The run journal ${this.path} was tampered with: ${why}. ` +
        `${aside ? `The intruder was moved to ${aside}; t` : 'T'}he journal was rewritten from the runtime's own copy (${copied} bytes), so no finished result is lost.`,
    );
  }

  /** Opens `path` for appending without following a link; anything but a regular file is moved aside. */
  private openFresh(exclusive: boolean): number {
    for (let attempt = 0; ; attempt++) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(this.path, WRITE_FLAGS | (exclusive ? fs.constants.O_EXCL : 0), 0o600);
        const st = fs.fstatSync(fd);
        if (st.isFile()) return fd;
        fs.closeSync(fd);
        fd = undefined;
      } catch (e) {
        if (fd !== undefined) fs.closeSync(fd);
        const code = (e as NodeJS.ErrnoException).code;
        // ELOOP: a symlink (O_NOFOLLOW); EISDIR: a folder; EEXIST: someone raced our exclusive create.
        if (attempt >= 3 || (code !== 'ELOOP' && code !== 'EISDIR' && code !== 'EEXIST' && code !== 'ENXIO')) throw e;
      }
      const aside = `${this.path}.replaced-${Date.now()}-${attempt}`;
      fs.renameSync(this.path, aside);
      this.warn(
        `The run journal ${this.path} was not a regular file; it was moved to ${aside} and a new journal started.`,
      );
    }
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function identOf(p: string): Ident | undefined {
  const st = lstatOrUndefined(p);
  return st && st.isDirectory() ? { dev: st.dev, ino: st.ino } : undefined;
}

/** Copies everything in `from` (read by position) to the end of `to`; returns the byte count. */
function copyAll(from: number, to: number): number {
  const buf = Buffer.alloc(COPY_CHUNK);
  let pos = 0;
  for (;;) {
    const n = fs.readSync(from, buf, 0, buf.length, pos);
    if (n === 0) return pos;
    let off = 0;
    while (off < n) off += fs.writeSync(to, buf, off, n - off);
    pos += n;
  }
}

/** What a run writes its journal through (a JournalWriter; tests put failing disks behind it). */
export type RunJournal = Pick<JournalWriter, 'path' | 'append' | 'appendMany' | 'sync' | 'syncSoon' | 'close'>;

const MAX_DAMAGED_TEXT = 1000; // damaged lines are for diagnostics; a torn result may be huge

/**
 * Reads a journal, never throwing on content: a torn last line (killed mid-write) and garbage
 * lines are returned in `damaged` (1-based line numbers). A missing file is an empty journal.
 */
export function readJournal(path: string): { lines: JournalLine[]; damaged: { lineNumber: number; text: string }[] } {
  const lines: JournalLine[] = [];
  const damaged: { lineNumber: number; text: string }[] = [];
  let text: string;
  try {
    text = readOwnFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { lines, damaged };
    // A link or a special file where the journal belongs was put there by someone else: its
    // content is not ours to replay (agents would run again rather than trust forged results).
    if (code === 'ELOOP' || code === 'ENOTREG') {
      damaged.push({
        lineNumber: 0,
        text: `${path} is not a regular file (a symbolic link or special file); it was not read`,
      });
      return { lines, damaged };
    }
    throw e;
  }
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i].endsWith('\r') ? raw[i].slice(0, -1) : raw[i];
    if (t.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      parsed = undefined;
    }
    if (isJournalLine(parsed)) lines.push(parsed);
    else
      damaged.push({ lineNumber: i + 1, text: t.length > MAX_DAMAGED_TEXT ? t.slice(0, MAX_DAMAGED_TEXT) + '…' : t });
  }
  return { lines, damaged };
}

/** The whole file, refusing a symlink (O_NOFOLLOW) and anything but a regular file (no FIFO wait). */
function readOwnFile(path: string): string {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (!fs.fstatSync(fd).isFile())
      throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Shape check of the fields consumers rely on; anything else (incl. unknown types) is damaged. */
function isJournalLine(v: unknown): v is JournalLine {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const str = (k: string) => typeof o[k] === 'string';
  switch (o.type) {
    case 'launched':
      return str('runId') && str('scriptHash') && typeof o.at === 'number';
    case 'resumed':
      return str('scriptHash') && typeof o.at === 'number';
    case 'started':
      return (
        str('key') && str('agentId') && typeof o.index === 'number' && str('label') && str('pos') && str('content')
      );
    case 'result':
      return str('key') && str('agentId'); // an undefined result drops the field: replay reads null
    case 'failed':
      return str('key') && str('agentId') && str('reason');
    default:
      return false;
  }
}
