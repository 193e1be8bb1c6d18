// Settings problems through the shipped `dwf` binary: the personal settings under
// $CLAUDE_CONFIG_DIR are the ones read (the editor reads the same folder), and each problem is a
// `warning:` on stderr with file, line and column before the run goes on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeExit, dwfFixture, runDwf, summaryOf } from './harness';

const SETTINGS = `{
  "permissions": {
    "allow": ["Bash(true"]
  },
  "sandbox": { "enabled": "yes" }
}
`;

describe('cli e2e: settings problems are warnings with file and line', function () {
  this.timeout(60_000);
  const f = dwfFixture();
  beforeEach(() => {
    f.repo.write('wf.js', "export const meta = { name: 'wf', description: 'd' }\nreturn await agent('hello')\n");
  });

  it('a broken rule and a bad sandbox value in $CLAUDE_CONFIG_DIR/settings.json are each one located warning; the run completes', async () => {
    const file = path.join(f.repo.config, 'settings.json');
    fs.writeFileSync(file, SETTINGS);
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json'], { server: f.server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(summaryOf(exit).result, 'echo:hello');
    const warnings = exit.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    const rule = warnings.filter((l) =>
      l.startsWith(`warning: ${file}:3:15: permissions.allow[0]: "Bash(true": missing ")"`),
    );
    assert.equal(rule.length, 1, describeExit(exit));
    assert.ok(
      warnings.includes(`warning: ${file}:5:16: "sandbox.enabled" must be true or false; ignored`),
      describeExit(exit),
    );
  });
});
