// The remote engine for tests: PostgreSQL from the system packages (Debian puts initdb and pg_ctl
// in /usr/lib/postgresql/<v>/bin) in a throw-away data folder on 127.0.0.1 and a free port, run
// as the `postgres` user when the tests run as root (PostgreSQL refuses root), with dwf's tables.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

function pgBin(): string {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return path.dirname(fromPath);
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error('PostgreSQL is not installed (no initdb): apt-get install postgresql (npm run host-tools does it)');
  return path.join(base, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface TestEngine {
  /** postgresql://…@127.0.0.1:PORT/dwf */
  url: string;
  stop(): void;
}

/** `fsync: false` (tests) trades crash safety of the throw-away server for speed; the bench keeps it on. */
export async function startEngine(opts: { fsync?: boolean } = {}): Promise<TestEngine> {
  const bin = pgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const password = 'dwf-test-secret';
  fs.writeFileSync(path.join(dir, 'pw'), password);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  fs.chmodSync(dir, 0o755);
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'dwf', '--pwfile', path.join(dir, 'pw'), '-A', 'scram-sha-256']);
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=200 -c fsync=${opts.fsync ? 'on' : 'off'}`,
    'start',
  ]);
  const admin = `postgresql://dwf:${password}@127.0.0.1:${port}/postgres`;
  const { Client } = await import('pg');
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query('CREATE DATABASE dwf');
  await c.end();
  return {
    url: `postgresql://dwf:${password}@127.0.0.1:${port}/dwf`,
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone: the folder goes anyway.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
