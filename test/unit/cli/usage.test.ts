// Help, unknown commands and flags: exit 0 for help, 2 for anything the command line rejects.
import assert from 'node:assert/strict';
import { cli, sandbox, type Sandbox } from './helpers';

describe('cli: usage', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('dwf --help and dwf help <cmd> print usage on stdout, exit 0', async () => {
    const c = cli(box);
    assert.equal(await c.run('--help'), 0);
    assert.match(c.stdout.text, /dwf run <file \| saved name>/);
    assert.match(c.stdout.text, /Exit codes: 0 completed, 1 failed, 2 .*, 130 stopped/);
    for (const cmd of ['run', 'resume', 'estimate', 'list', 'runs', 'save']) {
      const d = cli(box);
      assert.equal(await d.run(cmd, '--help'), 0, cmd);
      assert.match(d.stdout.text, new RegExp(`^Usage: dwf ${cmd}`));
      const e = cli(box);
      assert.equal(await e.run('help', cmd), 0);
      assert.equal(e.stdout.text, d.stdout.text);
    }
  });

  it('no command, an unknown command or an unknown flag is a usage error (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage:/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['run', 'x.js', '--bogus'], /dwf run: Unknown option '--bogus'[\s\S]*dwf run --help/],
      [['run'], /missing the workflow file or saved name/],
      [['run', 'a.js', 'b.js'], /unexpected argument "b.js"/],
      [['run', 'a.js', '--concurrency', '0'], /--concurrency expects a whole number/],
      [['run', 'a.js', '--budget', 'lots'], /--budget expects a whole number/],
      [['runs', '--limit', '-1'], /dwf runs:/],
      [['list', 'extra'], /unexpected argument/],
    ];
    for (const [argv, message] of cases) {
      const c = cli(box);
      assert.equal(await c.run(...argv), 2, argv.join(' '));
      assert.match(c.stderr.text, message, argv.join(' '));
      assert.equal(c.stdout.text, '', 'nothing on stdout');
    }
  });
});
