// One poll for all of a conductor's remote agents: each round reads every watched agent's status,
// new progress rows and open questions in three queries, and every few seconds marks their open
// questions as seen (the worker gives up a question nobody is there for). Before, each agent polled
// on its own — about 11 queries a second per agent, too many for a run of a thousand.
import type { Pool } from 'pg';
import type { ApprovalRequest } from '../../core';
import { SCHEMA, type RemoteProgress } from './protocol';

/** What the poll needs of the engine's workflows (DBOSClient has it): many statuses in one query. */
export interface WorkflowStatuses {
  listWorkflows(input: {
    workflowIDs: string[];
    loadInput: false;
    loadOutput: false;
  }): Promise<readonly { workflowID: string; status: string }[]>;
}

export interface OpenQuestion {
  seq: string;
  request: ApprovalRequest;
}

/** Told about one agent, in this order within a round: progress, open questions, the end. */
export interface AgentWatcher {
  /** Rows after the last one seen, oldest first; `last` is the newest row's number. */
  progress(events: RemoteProgress[], last: string): void;
  /** Every question still unanswered (the same one again each round until it is answered). */
  questions(open: OpenQuestion[]): void;
  /** The workflow left the queue for good (a result, an error, or cancelled): take its result now. */
  finished(): void;
  /** The engine could not be read: the agent cannot be followed any more. */
  failed(error: Error): void;
}

export interface AgentPollOptions {
  /** Time between rounds (ms). */
  pollMs: number;
  /** How often open questions are marked as seen (ms). */
  presentMs: number;
}

// Statuses of a workflow still to run or running; any other one is final.
const NOT_YET = new Set(['ENQUEUED', 'PENDING']);

export class AgentPoll {
  private readonly watched = new Map<string, { seen: string; watcher: AgentWatcher }>();
  private loop?: Promise<void>;
  private lastPresent = 0;
  private closed = false;
  private wake?: () => void;
  /** Rounds and queries so far (the tests count them). */
  readonly stats = { rounds: 0, queries: 0 };

  constructor(
    private readonly pool: Pool,
    private readonly workflows: WorkflowStatuses,
    private readonly o: AgentPollOptions,
  ) {}

  /** Follows agent `id` from progress row `seen` on; the returned function stops following it. */
  watch(id: string, seen: string, watcher: AgentWatcher): () => void {
    if (this.closed) throw new Error('the remote agents poll is closed');
    // No early round for it: agents started in a burst (a parallel of hundreds) then share the next one.
    this.watched.set(id, { seen, watcher });
    this.loop ??= this.run().finally(() => (this.loop = undefined));
    return () => {
      if (this.watched.get(id)?.watcher === watcher) this.watched.delete(id);
    };
  }

  /** Ends the rounds and waits for the one in flight (before the pool closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.watched.size && !this.closed) {
      try {
        await this.round();
      } catch (e) {
        for (const { watcher } of [...this.watched.values()]) watcher.failed(e as Error);
        this.watched.clear();
      }
      if (!this.watched.size || this.closed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async round(): Promise<void> {
    const entries = [...this.watched];
    const ids = entries.map(([id]) => id);
    this.stats.rounds++;
    // Statuses first: whatever a worker published before it finished is read in this same round.
    const statuses = await this.workflows.listWorkflows({ workflowIDs: ids, loadInput: false, loadOutput: false });
    const progress = await this.pool.query<{ id: string; seq: string; event: RemoteProgress }>(
      `SELECT w.id, p.seq, p.event FROM unnest($1::text[], $2::bigint[]) AS w(id, after)
       JOIN ${SCHEMA}.progress p ON p.workflow_id = w.id AND p.seq > w.after ORDER BY p.seq`,
      [ids, entries.map(([, w]) => w.seen)],
    );
    const questions = await this.pool.query<{ workflow_id: string; seq: string; request: ApprovalRequest }>(
      `SELECT workflow_id, seq, request FROM ${SCHEMA}.approval
       WHERE workflow_id = ANY($1::text[]) AND answer IS NULL ORDER BY asked_at`,
      [ids],
    );
    this.stats.queries += 3;
    if (Date.now() - this.lastPresent >= this.o.presentMs) {
      this.lastPresent = Date.now();
      // While the person decides too: a worker gives up a question whose conductor went silent.
      await this.pool.query(
        `UPDATE ${SCHEMA}.approval SET seen_at = now() WHERE workflow_id = ANY($1::text[]) AND answer IS NULL`,
        [ids],
      );
      this.stats.queries++;
    }
    const events = groupBy(progress.rows, (r) => r.id);
    const open = groupBy(questions.rows, (r) => r.workflow_id);
    const ended = new Set(statuses.filter((s) => !NOT_YET.has(s.status)).map((s) => s.workflowID));
    for (const [id, entry] of entries) {
      // Stopped being watched while this round read (its run stopped): nothing more for it.
      if (this.watched.get(id) !== entry) continue;
      const rows = events.get(id);
      if (rows?.length) {
        entry.seen = rows.at(-1)!.seq;
        entry.watcher.progress(
          rows.map((r) => r.event),
          entry.seen,
        );
      }
      const asked = open.get(id);
      if (asked?.length) entry.watcher.questions(asked.map((q) => ({ seq: q.seq, request: q.request })));
      if (ended.has(id)) {
        this.watched.delete(id);
        entry.watcher.finished();
      }
    }
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
