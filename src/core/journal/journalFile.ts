// The run journal: append-only JSONL (spec §4.7 plus our own fields). Every append reaches the
// kernel before it returns, so a killed process never loses a line it reported as written.
import * as fs from 'node:fs';
import type { LiveReason, TokenUsage } from '../types';

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
  | { type: 'result'; key: string; agentId: string; result: unknown; toolsUsed?: string[]; usage?: TokenUsage; model?: string }
  | { type: 'failed'; key: string; agentId: string; reason: string };

export class JournalWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a+', 0o600); // a+ so we can peek at the last byte
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
  /** An fd whose close waits for the fdatasync in flight (its number must not be reused under it). */
  private closing: number | undefined;

  /**
   * The same flush on libuv's thread pool, coalesced: the host's main thread (an editor's
   * extension host) does not wait for the disk. Appends were written before this is called, so
   * a process kill still loses nothing; only a power cut can lose the last few milliseconds.
   */
  syncSoon(): void {
    if (this.fd === undefined) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    fs.fdatasync(this.fd, () => {
      this.syncing = false;
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
    const fd = this.fd;
    this.fd = undefined;
    if (this.syncing) this.closing = fd;
    else fs.closeSync(fd);
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    return this.fd;
  }

  private write(text: string): void {
    const fd = this.openFd();
    const buf = Buffer.from(text, 'utf8');
    // writeSync may write less than asked; loop so the whole line is in the file on return.
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
  }
}

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
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lines, damaged };
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
    else damaged.push({ lineNumber: i + 1, text: t.length > MAX_DAMAGED_TEXT ? t.slice(0, MAX_DAMAGED_TEXT) + '…' : t });
  }
  return { lines, damaged };
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
      return str('key') && str('agentId') && typeof o.index === 'number' && str('label') && str('pos') && str('content');
    case 'result':
      return str('key') && str('agentId'); // an undefined result drops the field: replay reads null
    case 'failed':
      return str('key') && str('agentId') && str('reason');
    default:
      return false;
  }
}
