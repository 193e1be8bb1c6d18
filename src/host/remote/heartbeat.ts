// Dead-worker pickup. Open-source DBOS recovers only a process's own PENDING workflows at launch,
// so each worker beats into dwf.worker every second and sweeps rows that stopped beating: the
// DELETE is the claim (two live workers never recover the same dead one), then the dead executor's
// PENDING workflows go back on the queue, where any worker dequeues them and replays their steps.
import type { Pool } from 'pg';
import { SCHEMA } from './protocol';

export interface HeartbeatOptions {
  pool: Pool;
  executorId: string;
  host: string;
  version: string;
  /** How often to beat (ms). */
  everyMs: number;
  /** A worker silent this long (ms) is taken for dead. */
  staleMs: number;
  /** Re-enqueues a dead executor's PENDING workflows (DBOS recoverPendingWorkflows). */
  recover(executorId: string): Promise<number>;
  log(message: string): void;
}

export class Heartbeat {
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;

  constructor(private readonly o: HeartbeatOptions) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      // One beat at a time: a slow database must not pile them up.
      this.beating ??= this.beat()
        .catch((e: unknown) => this.o.log(`heartbeat failed: ${(e as Error).message}`))
        .finally(() => (this.beating = undefined));
    }, this.o.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
  }

  private async beat(): Promise<void> {
    const { pool, executorId, host, version } = this.o;
    await pool.query(
      `INSERT INTO ${SCHEMA}.worker (executor_id, host, version, at) VALUES ($1, $2, $3, now())
       ON CONFLICT (executor_id) DO UPDATE SET at = now()`,
      [executorId, host, version],
    );
    const dead = await pool.query<{ executor_id: string }>(
      `DELETE FROM ${SCHEMA}.worker WHERE at < now() - make_interval(secs => $1) AND executor_id <> $2 RETURNING executor_id`,
      [this.o.staleMs / 1000, executorId],
    );
    for (const row of dead.rows) {
      const n = await this.o.recover(row.executor_id);
      this.o.log(`worker ${row.executor_id} stopped beating: ${n} agent${n === 1 ? '' : 's'} taken over`);
    }
  }
}

/** Live workers (beat within `staleMs`) and their versions, for the conductor's checks. */
export async function liveWorkers(pool: Pool, staleMs: number): Promise<{ executorId: string; version: string }[]> {
  const r = await pool.query<{ executor_id: string; version: string }>(
    `SELECT executor_id, version FROM ${SCHEMA}.worker WHERE at >= now() - make_interval(secs => $1)`,
    [staleMs / 1000],
  );
  return r.rows.map((row) => ({ executorId: row.executor_id, version: row.version }));
}

/**
 * What DBOS's recoverPendingWorkflows does (dbos-sdk 5.3 system_database reenqueueWorkflowsForRecovery),
 * on the public tables: the dead executor's PENDING workflows of this version back on their queue.
 * Pinned with the package version and covered by the dead-worker test.
 */
export async function reenqueueDeadExecutor(
  pool: Pool,
  executorId: string,
  version: string,
  app: string,
): Promise<number> {
  const r = await pool.query(
    `UPDATE dbos.workflow_status
        SET started_at_epoch_ms = NULL, status = 'ENQUEUED', owner_xid = NULL,
            updated_at = (EXTRACT(EPOCH FROM now()) * 1000)::bigint
      WHERE status = 'PENDING' AND executor_id = $1 AND application_version = $2
        AND (application_name = $3 OR application_name IS NULL) AND queue_name IS NOT NULL`,
    [executorId, version, app],
  );
  return r.rowCount ?? 0;
}
