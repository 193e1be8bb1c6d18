// The run's journal discipline. `started` lines go out per ops batch; outcome lines are group-
// committed in one write before their settlements leave for the script (a kill loses nothing the
// script has seen), flushed off the main thread, and only then announced. The first write that
// fails ends all writing and is reported once, so a result missing from the journal never
// reaches the script; what was written before stays.
import type { JournalLine, RunJournal } from '../journal/journalFile';
import type { ErrorInfo } from '../types';
import { journalWriteFailure } from './storageFailure';

/** What happens to an outcome once its line is in the journal, or could not be written. */
export interface PendingOutcome {
  announce(): void;
  abandon(): void;
}

export class JournalCommitter {
  private started: JournalLine[] = [];
  private outcomes: JournalLine[] = [];
  private pending: PendingOutcome[] = [];
  private failure: ErrorInfo | undefined;
  private reported = false;
  private closed = false;

  /** Opens the journal; a file that cannot be opened is reported like a failed write (throws). */
  static open(path: string, open: () => RunJournal, onFailure: (error: ErrorInfo) => void): JournalCommitter {
    let journal: RunJournal;
    try {
      journal = open();
    } catch (e) {
      throw new Error(journalWriteFailure(path, e).message, { cause: e });
    }
    return new JournalCommitter(journal, onFailure);
  }

  constructor(
    private readonly journal: RunJournal,
    /** Hears the first failure while the run goes on (not during close()). */
    private readonly onFailure: (error: ErrorInfo) => void,
  ) {}

  /** The run's first line (launched/resumed). Throws, closing the file: a run that cannot journal does not start. */
  open(line: JournalLine): void {
    if (this.write([line])) return;
    this.closed = true;
    this.closeFile();
    throw new Error(this.failure!.message);
  }

  queueStarted(line: JournalLine): void {
    this.started.push(line);
  }

  /** Writes the `started` lines of one ops batch. */
  commitStarted(): void {
    if (this.started.length === 0) return;
    const lines = this.started;
    this.started = [];
    if (!this.write(lines)) this.report();
  }

  queueOutcome(line: JournalLine, outcome: PendingOutcome): void {
    this.outcomes.push(line);
    this.pending.push(outcome);
  }

  /** Group commit: one write for all outcomes of a tick, an fdatasync off the main thread, then their announcements. */
  commitOutcomes(): void {
    if (this.outcomes.length === 0) return;
    const lines = this.outcomes;
    const pending = this.pending;
    this.outcomes = [];
    this.pending = [];
    if (!this.write(lines)) {
      for (const p of pending) p.abandon();
      this.report();
      return;
    }
    this.journal.syncSoon((e) => {
      this.failure ??= journalWriteFailure(this.journal.path, e);
      this.report();
    });
    for (const p of pending) p.announce();
  }

  /** The failure that ended writing, if any. */
  get failed(): ErrorInfo | undefined {
    return this.failure;
  }

  /** Writes what is left, fdatasyncs and closes the file. Never throws: returns the failure, if any. */
  close(): ErrorInfo | undefined {
    if (this.closed) return this.failure;
    this.closed = true;
    this.commitStarted();
    this.commitOutcomes();
    if (!this.failure) {
      try {
        this.journal.sync();
      } catch (e) {
        this.failure = journalWriteFailure(this.journal.path, e);
      }
    }
    this.closeFile();
    return this.failure;
  }

  private closeFile(): void {
    try {
      this.journal.close();
    } catch (e) {
      this.failure ??= journalWriteFailure(this.journal.path, e);
    }
  }

  private write(lines: JournalLine[]): boolean {
    if (this.failure) return false;
    try {
      this.journal.appendMany(lines);
      return true;
    } catch (e) {
      this.failure = journalWriteFailure(this.journal.path, e);
      return false;
    }
  }

  private report(): void {
    if (this.closed || this.reported || !this.failure) return;
    this.reported = true;
    this.onFailure(this.failure);
  }
}
