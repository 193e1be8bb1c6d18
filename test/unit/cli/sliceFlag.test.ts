// `dwf run --slice-ms`: the limit per synchronous slice reaches the sandbox, and values outside
// 100..3,600,000 are usage errors (exit 2) before anything runs.
import assert from 'node:assert/strict';
import { cli, runDirs, sandbox, type Sandbox } from './helpers';

const SPIN = "export const meta = { name: 'spin', description: 'd' }\nawait agent('first')\nfor (;;) {}\n";

describe('cli: dwf run --slice-ms', function () {
  this.timeout(60_000);
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  for (const bad of ['99', '3600001', 'abc', '1.5', '-200', '']) {
    it(`--slice-ms ${JSON.stringify(bad)} is rejected with the accepted range, exit 2, nothing runs`, async () => {
      box.write('spin.js', SPIN);
      const c = cli(box);
      assert.equal(await c.run('run', 'spin.js', `--slice-ms=${bad}`), 2);
      assert.match(c.stderr.text, /--slice-ms expects a whole number of milliseconds from 100 to 3600000, got /);
      assert.equal(runDirs(box).length, 0);
      assert.equal(c.runner.calls.length, 0);
    });
  }

  it('--slice-ms 200 stops a runaway at 200 ms with the error naming the flag; exit 1', async () => {
    box.write('spin.js', SPIN);
    const c = cli(box);
    assert.equal(await c.run('run', 'spin.js', '--slice-ms', '200'), 1);
    assert.match(c.stderr.text, /ran for more than 200 ms without awaiting/);
    assert.match(c.stderr.text, /--slice-ms/);
  });

  it('the bounds themselves are accepted and the help lists the flag', async () => {
    box.write('ok.js', "export const meta = { name: 'ok', description: 'd' }\nreturn 'fine'\n");
    for (const ms of ['100', '3600000']) {
      const c = cli(box);
      assert.equal(await c.run('run', 'ok.js', '--slice-ms', ms), 0, c.stderr.text);
      assert.equal(c.stdout.text, 'fine\n');
    }
    const h = cli(box);
    assert.equal(await h.run('run', '--help'), 0);
    assert.match(h.stdout.text, /--slice-ms MS/);
  });
});
