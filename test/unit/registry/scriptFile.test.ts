// Issue 7 item 8: workflow({scriptPath}) stays in its box. Only a regular .js file whose real path
// lies inside the workspace or a saved-workflow folder is read, never more than the cap, and an
// error about any other path quotes nothing of it (the file is not even opened).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registryResolver } from '../../../src/core/registry';
import { readCappedFile, readScriptFile, ScriptFileError } from '../../../src/core/registry/scriptFile';
import { MAX_SCRIPT_BYTES, parseWorkflowScript } from '../../../src/core/script';
import { createHarness, type Harness } from '../../fakes/engineHarness';

const OUTSIDE = /^workflow\(\{scriptPath\}\) may only name a script inside the workspace or a saved-workflow folder: /;
const linux = process.platform === 'linux';

describe('registry/scriptFile: workflow({scriptPath}) stays in its box', function () {
  this.timeout(30_000);
  let tmp: string;
  let ws: string;
  let h: Harness | undefined;
  const parent = () => path.join(ws, 'parent.js');
  const resolver = () => registryResolver({ cwd: ws, personalDir: path.join(tmp, 'home', 'workflows') });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-scriptfile-')));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'child.js'),
      "export const meta = { name: 'c', description: 'd' }\nreturn 'child ran'\n",
    );
  });
  afterEach(() => {
    h?.cleanup();
    h = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The resolver's error for `scriptPath`; it must be a refusal that quotes nothing of the file. */
  async function refusal(scriptPath: string, problem: ScriptFileError['problem']): Promise<string> {
    try {
      await resolver()({ scriptPath }, parent());
    } catch (e) {
      assert.ok(e instanceof ScriptFileError, `expected a ScriptFileError, got ${String(e)}`);
      assert.equal(e.problem, problem, e.message);
      assert.doesNotMatch(e.message, /\n/, 'no code frame');
      return e.message;
    }
    assert.fail(`${scriptPath} was read`);
  }

  it('reads a script inside the workspace', async () => {
    const r = await resolver()({ scriptPath: './child.js' }, parent());
    assert.match(r.source, /child ran/);
  });

  it('refuses /etc/passwd, quoting nothing of it', async () => {
    const msg = await refusal('/etc/passwd', 'outside');
    assert.match(msg, OUTSIDE);
    assert.doesNotMatch(msg, /root:/);
  });

  it('refuses a relative path that climbs out of the workspace', async () => {
    assert.match(await refusal('../../../../../../../../etc/passwd', 'outside'), OUTSIDE);
  });

  (linux ? it : it.skip)('refuses /proc/self/environ and /proc/self/pagemap before opening them', async () => {
    const before = process.memoryUsage().rss;
    for (const p of ['/proc/self/environ', '/proc/self/pagemap', '/proc/self/mem', '/dev/zero']) {
      const msg = await refusal(p, 'outside');
      assert.match(msg, OUTSIDE);
    }
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'no large allocation');
  });

  (linux ? it : it.skip)('refuses /proc even when the workspace is opened on / itself', async () => {
    await assert.rejects(
      readScriptFile('/proc/self/environ', ['/'], MAX_SCRIPT_BYTES),
      (e: unknown) => e instanceof ScriptFileError && e.problem === 'outside',
    );
    await assert.rejects(
      readScriptFile('/proc/self/pagemap', ['/'], MAX_SCRIPT_BYTES),
      (e: unknown) => e instanceof ScriptFileError && e.problem === 'outside',
    );
  });

  it('refuses a symlink from the workspace to /etc/passwd (resolved before the check)', async () => {
    fs.symlinkSync('/etc/passwd', path.join(ws, 'passwd.js'));
    const msg = await refusal('passwd.js', 'outside');
    assert.doesNotMatch(msg, /root:/);
  });

  it('refuses a symlinked folder in the workspace that leads outside', async () => {
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.writeFileSync(
      path.join(tmp, 'outside', 'x.js'),
      "export const meta = { name: 'x', description: 'd' }\nreturn 'secret'\n",
    );
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(ws, 'lib'));
    await refusal('lib/x.js', 'outside');
  });

  it('refuses a FIFO inside the workspace without blocking', async () => {
    execFileSync('mkfifo', [path.join(ws, 'pipe.js')]);
    const started = Date.now();
    assert.match(await refusal('pipe.js', 'notRegular'), /is not a regular file$/);
    assert.ok(Date.now() - started < 2000);
  });

  it('refuses a directory', async () => {
    fs.mkdirSync(path.join(ws, 'dir.js'));
    assert.match(await refusal('dir.js', 'notRegular'), /is not a regular file$/);
  });

  it('refuses a file that is not a .js script (a .env inside the workspace is not quoted)', async () => {
    fs.writeFileSync(path.join(ws, '.env'), 'ANTHROPIC_API_KEY=sk-ant-secret\n');
    const msg = await refusal('.env', 'notJs');
    assert.doesNotMatch(msg, /sk-ant/);
  });

  it(`refuses a file over the cap (${MAX_SCRIPT_BYTES} bytes) and accepts one at it`, async () => {
    fs.writeFileSync(path.join(ws, 'big.js'), 'x'.repeat(MAX_SCRIPT_BYTES + 1));
    assert.match(await refusal('big.js', 'tooLarge'), /exceeds 524288 bytes$/);
    fs.writeFileSync(path.join(ws, 'exact.js'), '/'.repeat(2) + 'x'.repeat(MAX_SCRIPT_BYTES - 2));
    assert.equal((await resolver()({ scriptPath: 'exact.js' }, parent())).source.length, MAX_SCRIPT_BYTES);
  });

  it('reports a missing file inside the workspace as not found', async () => {
    assert.match(await refusal('missing.js', 'notFound'), /^Workflow script file not found: /);
  });

  (linux ? it : it.skip)('the capped read does not trust the size stat reports (/proc files say 0)', async () => {
    assert.equal(fs.statSync('/proc/self/maps').size, 0);
    assert.ok(fs.readFileSync('/proc/self/maps').length > 64);
    await assert.rejects(
      readCappedFile('/proc/self/maps', 64),
      (e: unknown) => e instanceof ScriptFileError && e.problem === 'tooLarge',
    );
  });

  it('a script sees only the refusal: no line of the file reaches it', async () => {
    fs.symlinkSync('/etc/passwd', path.join(ws, 'passwd.js'));
    h = createHarness({ resolveWorkflow: resolver() });
    const attempts = ['/etc/passwd', 'passwd.js', '/proc/self/environ', '../../../../etc/hostname'];
    const r = await h.engine.start(
      parseWorkflowScript(
        `export const meta = { name: 't', description: 'd' }\nconst out = []\nfor (const p of ${JSON.stringify(attempts)}) { try { await workflow({ scriptPath: p }); out.push('read ' + p) } catch (e) { out.push(e.message) } }\nreturn out`,
        parent(),
      ),
      { eventIntervalMs: 0 },
    ).done;
    assert.equal(r.status, 'completed', r.error?.message);
    const out = r.result as string[];
    assert.equal(out.length, attempts.length);
    for (const m of out) assert.match(m, OUTSIDE);
    assert.doesNotMatch(JSON.stringify(out), /root:|PATH=|HOME=/);
  });
});
