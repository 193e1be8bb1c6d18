// A real runs folder (FileRunStore, real JournalWriter, real files) whose disk "fills up" on cue:
// the n-th journal line, the n-th run-record write or the journal's fdatasync fails the way a
// full disk makes them fail (ENOSPC). Everything written before the failure is really on disk.
import type { JournalLine, RunJournal } from '../../src/core/journal/journalFile';
import { FileRunStore, type RunRecord } from '../../src/core/journal/runStore';

export interface DiskFailures {
  /** 1-based over every journal line of the store; this line and all after it fail. */
  journalLine?: number;
  /** 1-based over every run-record write (create() writes the first of a new run). */
  recordWrite?: number;
  /** Every fdatasync of a journal fails. */
  sync?: boolean;
}

export function diskFull(syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall} '${path}'`), {
    code: 'ENOSPC',
    errno: -28,
    syscall,
    path,
  });
}

export class FailingRunStore extends FileRunStore {
  /** Set or clear failures at any time (clear them to resume on a disk with room again). */
  failures: DiskFailures = {};
  journalLines = 0;
  recordWrites = 0;

  override openJournal(runId: string, warn: (message: string) => void): RunJournal {
    return new FailingJournal(super.openJournal(runId, warn), this);
  }

  override writeRecord(record: RunRecord): void {
    this.recordWrites++;
    const n = this.failures.recordWrite;
    if (n !== undefined && this.recordWrites >= n) throw diskFull('write', this.recordPath(record.runId));
    super.writeRecord(record);
  }
}

class FailingJournal implements RunJournal {
  constructor(
    private readonly inner: RunJournal,
    private readonly store: FailingRunStore,
  ) {}

  get path(): string {
    return this.inner.path;
  }

  append(line: JournalLine): void {
    this.appendMany([line]);
  }

  /** Lines before the failing one reach the file (a partial batch, as on a filling disk). */
  appendMany(lines: JournalLine[]): void {
    const n = this.store.failures.journalLine;
    const room = n === undefined ? lines.length : Math.max(0, n - 1 - this.store.journalLines);
    const fits = lines.slice(0, room);
    this.inner.appendMany(fits);
    this.store.journalLines += fits.length;
    if (fits.length < lines.length) throw diskFull('write', this.path);
  }

  sync(): void {
    if (this.store.failures.sync) throw diskFull('fdatasync', this.path);
    this.inner.sync();
  }

  syncSoon(onError?: (error: Error) => void): void {
    if (!this.store.failures.sync) return this.inner.syncSoon(onError);
    setImmediate(() => onError?.(diskFull('fdatasync', this.path)));
  }

  close(): void {
    this.inner.close();
  }
}
