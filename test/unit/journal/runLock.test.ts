// One writer per run: `<runDir>/lock` taken with O_EXCL; a second taker is refused with a clear
// message; a lock whose owner is gone (dead pid, reused pid, another host long ago) is taken over,
// and processes racing for one lock (fresh or stale) end with exactly one owner.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunLock, RunLockedError, lockOwner, OTHER_HOST_TTL_MS } from '../../../src/core/journal/runLock';

const MODULE = path.resolve(__dirname, '../../../src/core/journal/runLock.js');
const RUN = 'wf_locktest1';

/** A child process that tries to take the lock, prints 'got' or 'refused: …', then holds it until killed. */
function taker(dir: string): { child: ChildProcess; outcome: Promise<string> } {
  const code = `
    const { RunLock } = require(${JSON.stringify(MODULE)});
    try { RunLock.acquire(${JSON.stringify(dir)}, '${RUN}'); process.stdout.write('got\\n') }
    catch (e) { process.stdout.write('refused: ' + e.message + '\\n'); process.exit(0) }
    setInterval(() => {}, 1000)`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const outcome = new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', () => resolve(out.trim()));
  });
  return { child, outcome };
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('journal/runLock: one writer per run', function () {
  this.timeout(30_000);
  let dir: string;
  const children: ChildProcess[] = [];
  const lockFile = () => path.join(dir, 'lock');
  const writeLock = (owner: object) => fs.writeFileSync(lockFile(), JSON.stringify(owner));

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-lock-'))));
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes the lock with pid, host and start time (owner-only file) and removes it on release', () => {
    const lock = RunLock.acquire(dir, RUN);
    const owner = JSON.parse(fs.readFileSync(lockFile(), 'utf8'));
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.host, os.hostname());
    assert.ok(Math.abs(owner.since - Date.now()) < 5000);
    if (process.platform !== 'win32') assert.equal(fs.statSync(lockFile()).mode & 0o777, 0o600);
    lock.release();
    assert.ok(!fs.existsSync(lockFile()));
  });

  it('refuses a second taker in this process with the run id, pid and what to do', () => {
    const lock = RunLock.acquire(dir, RUN);
    assert.throws(
      () => RunLock.acquire(dir, RUN),
      (e: unknown) =>
        e instanceof RunLockedError &&
        e.message.startsWith(`Run ${RUN} is already running (pid ${process.pid}, since `) &&
        e.message.endsWith(
          'Wait for it or stop it; if that process is gone, the lock is stale and is cleared automatically.',
        ),
    );
    lock.release();
  });

  it('refuses while another live process holds it, and takes it over once that process is killed', async () => {
    const first = taker(dir);
    children.push(first.child);
    assert.equal(await first.outcome, 'got');
    assert.throws(() => RunLock.acquire(dir, RUN), new RegExp(`already running \\(pid ${first.child.pid},`));
    assert.equal(lockOwner(dir)?.pid, first.child.pid);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.equal(lockOwner(dir), undefined, 'a dead owner is no owner');
    const lock = RunLock.acquire(dir, RUN);
    assert.equal(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('takes over a lock whose pid is dead', () => {
    writeLock({ pid: deadPid(), host: os.hostname(), since: Date.now(), token: 'old' });
    RunLock.acquire(dir, RUN).release();
  });

  (process.platform === 'linux' ? it : it.skip)(
    'takes over a lock whose pid now belongs to another process (start tick differs)',
    () => {
      writeLock({ pid: process.ppid, host: os.hostname(), since: Date.now(), procStart: '1', token: 'old' });
      RunLock.acquire(dir, RUN).release();
    },
  );

  it('takes over a lock naming this process that no run here holds', () => {
    writeLock({ pid: process.pid, host: os.hostname(), since: Date.now(), token: 'not-held' });
    RunLock.acquire(dir, RUN).release();
  });

  it("honours another host's lock for a day, then takes it over", () => {
    writeLock({ pid: 1, host: 'elsewhere.example', since: Date.now(), token: 'x' });
    assert.throws(() => RunLock.acquire(dir, RUN), /already running \(pid 1 on elsewhere\.example,/);
    writeLock({ pid: 1, host: 'elsewhere.example', since: Date.now() - OTHER_HOST_TTL_MS - 1000, token: 'x' });
    RunLock.acquire(dir, RUN).release();
  });

  it('an empty lock is "being taken" while fresh and stale once old', () => {
    fs.writeFileSync(lockFile(), '');
    assert.throws(() => RunLock.acquire(dir, RUN), /being started or resumed by another process/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockFile(), old, old);
    RunLock.acquire(dir, RUN).release();
  });

  it('release never removes a lock someone else took over', () => {
    const lock = RunLock.acquire(dir, RUN);
    writeLock({ pid: 1, host: 'elsewhere.example', since: Date.now(), token: 'theirs' });
    lock.release();
    assert.equal(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).token, 'theirs');
  });

  for (const stale of [false, true]) {
    it(`processes racing for a ${stale ? 'stale' : 'free'} lock: exactly one gets it`, async () => {
      if (stale) writeLock({ pid: deadPid(), host: os.hostname(), since: Date.now(), token: 'old' });
      const takers = Array.from({ length: 4 }, () => taker(dir));
      children.push(...takers.map((t) => t.child));
      const outcomes = await Promise.all(takers.map((t) => t.outcome));
      assert.equal(outcomes.filter((o) => o === 'got').length, 1, outcomes.join('\n'));
      for (const o of outcomes.filter((x) => x !== 'got'))
        assert.match(o, /^refused: Run wf_locktest1 is (already running|being started)/);
    });
  }
});
