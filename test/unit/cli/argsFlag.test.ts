// `dwf run|resume --args`: read by core/argsText, as the editor's args box reads it — broken JSON
// is a usage error naming line and column (exit 2, nothing runs), JSON is JSON, blank is no args.
import assert from 'node:assert/strict';
import { cli, lastJson, runDirs, sandbox, type Sandbox } from './helpers';
import { FileRunStore } from '../../../src/core/journal/runStore';

const ECHO = "export const meta = { name: 'echo', description: 'd' }\nreturn args === undefined ? 'none' : args\n";

describe('cli: dwf --args', function () {
  this.timeout(60_000);
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('{bad is a usage error with what, where and what to do; nothing runs', async () => {
    box.write('echo.js', ECHO);
    const c = cli(box);
    assert.equal(await c.run('run', 'echo.js', '--args', '{bad'), 2);
    assert.match(
      c.stderr.text,
      /--args is not valid JSON at line 1, column 2: Expected property name or '\}'\. Text that starts with \{, \[ or " is read as JSON: fix it, or pass a plain string/,
    );
    assert.equal(runDirs(box).length, 0);
  });

  for (const [input, expected] of [
    ['[]', []],
    ['"str"', 'str'],
    ['src/a.ts', 'src/a.ts'],
    ['', 'none'],
    ['   ', 'none'],
  ] as const) {
    it(`--args ${JSON.stringify(input)} reaches the script as ${JSON.stringify(expected)}`, async () => {
      box.write('echo.js', ECHO);
      const c = cli(box);
      assert.equal(await c.run('run', 'echo.js', '--json', '--args', input), 0, c.stderr.text);
      assert.deepEqual(lastJson(c).result, expected);
    });
  }

  it('a blank --args on resume is no args: the stored ones are reused', async () => {
    box.write('echo.js', ECHO);
    const first = cli(box);
    assert.equal(await first.run('run', 'echo.js', '--json', '--args', '[1]'), 0, first.stderr.text);
    const runId = String(lastJson(first).runId);
    const again = cli(box);
    assert.equal(await again.run('resume', runId, '--json', '--args', ' '), 0, again.stderr.text);
    assert.deepEqual(lastJson(again).result, [1]);
    assert.deepEqual(FileRunStore.forWorkspace(box.root).readArgs(runId), { args: [1] });
  });
});
