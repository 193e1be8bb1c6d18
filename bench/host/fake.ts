// The fake Messages API of the agents benchmark (bench/agents/fakeServer.ts, zero latency) in its
// own process, so its CPU is not the extension host's; and the control load: the same model calls
// as a plain SDK loop in another process (bench/agents/plainLoop.ts), with no editor involved.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerCommand } from '../agents/fakeServer';

const AGENTS_DIR = path.join(__dirname, '..', 'agents');

export class FakeServerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (m: Record<string, unknown>) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (m: { id?: number }) => {
      const done = m.id !== undefined ? this.pending.get(m.id) : undefined;
      this.pending.delete(m.id!);
      done?.(m as Record<string, unknown>);
    });
  }

  static start(): Promise<FakeServerProcess> {
    // execArgv: [] so the child does not inherit the extension host's flags.
    const child = fork(path.join(AGENTS_DIR, 'fakeServer.js'), [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // The model service it stands for runs on other machines: at the lowest priority its CPU
    // competes as little as possible with the editor being measured (BENCH_HOST_FAKE_NICE=0: as before).
    const nice = Number(process.env.BENCH_HOST_FAKE_NICE ?? 19);
    try {
      if (child.pid !== undefined && nice > 0) os.setPriority(child.pid, nice);
    } catch {
      // not permitted here: the figures then include the fake's CPU, as they did before
    }
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the fake server exited (${code})`)));
      child.once('message', (m: { url?: string }) => resolve(new FakeServerProcess(child, m.url!)));
    });
  }

  ask(cmd: ServerCommand): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, cmd });
    });
  }

  kill(): void {
    this.child.kill();
  }
}

/**
 * Starts `n` SDK calls at `concurrency` from a plain Node process, each a copy of a request the
 * extension sent (the server's first recorded body); resolves when the process ends.
 */
export async function plainLoad(
  server: FakeServerProcess,
  n: number,
  concurrency: number,
): Promise<{ ok: number; loopMs: number }> {
  const { body } = await server.ask('sample');
  if (!body) throw new Error('the fake server recorded no request to copy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-host-'));
  const template = path.join(dir, 'request.json');
  fs.writeFileSync(template, JSON.stringify(body));
  const child = spawn(
    process.execPath,
    [path.join(AGENTS_DIR, 'plainLoop.js'), server.url, template, String(n), String(concurrency), 'control'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the plain SDK loop exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}
