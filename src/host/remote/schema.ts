// One-time engine set-up (`dwf engine init`, the tests' set-up): DBOS's system tables and ours.
// Run once before workers start: two workers migrating a fresh database at once deadlock.
import { DBOS } from '@dbos-inc/dbos-sdk';
import { Pool } from 'pg';
import { SCHEMA } from './protocol';

export async function migrateEngine(url: string): Promise<void> {
  await DBOS.migrate(url);
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.worker (executor_id text PRIMARY KEY, host text NOT NULL, version text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.approval (workflow_id text NOT NULL, seq text NOT NULL, request jsonb NOT NULL, answer text, asked_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (workflow_id, seq))`,
    );
    // When the conductor last showed it was there for the question (an engine of an earlier dwf gains it here).
    await pool.query(`ALTER TABLE ${SCHEMA}.approval ADD COLUMN IF NOT EXISTS seen_at timestamptz`);
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.progress (seq bigserial PRIMARY KEY, workflow_id text NOT NULL, event jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    await pool.query(`CREATE INDEX IF NOT EXISTS progress_by_workflow ON ${SCHEMA}.progress (workflow_id, seq)`);
  } finally {
    await pool.end();
  }
}
