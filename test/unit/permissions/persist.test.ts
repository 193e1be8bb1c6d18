// "Always allow" answers saved where Claude Code keeps them, without losing what the file held.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localSettingsFile, PermissionGate, persistAllowRules } from '../../../src/agent/permissions';

describe('permissions/persistAllowRules', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-persist-')));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const read = () => JSON.parse(fs.readFileSync(localSettingsFile(ws), 'utf8'));

  it('creates .claude/settings.local.json, and a later load allows the command', async () => {
    persistAllowRules(ws, ['Bash(make lint)']);
    assert.deepEqual(read(), { permissions: { allow: ['Bash(make lint)'] } });
    const { gate } = await PermissionGate.load({ roots: [ws], home: ws });
    assert.equal(gate.check('make lint', ws).decision, 'allow');
  });

  it('adds each rule once and keeps the other keys of the file', () => {
    fs.mkdirSync(path.join(ws, '.claude'));
    fs.writeFileSync(
      localSettingsFile(ws),
      JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(ls)'], deny: ['Bash(rm:*)'] } }),
    );
    persistAllowRules(ws, ['Bash(ls)', 'Bash(pwd)']);
    assert.deepEqual(read(), {
      model: 'opus',
      permissions: { allow: ['Bash(ls)', 'Bash(pwd)'], deny: ['Bash(rm:*)'] },
    });
  });

  it('refuses to overwrite a file that is not valid JSON', () => {
    fs.mkdirSync(path.join(ws, '.claude'));
    fs.writeFileSync(localSettingsFile(ws), '{oops');
    assert.throws(() => persistAllowRules(ws, ['Bash(pwd)']), /not valid JSON.*Bash\(pwd\) was not saved/);
    assert.equal(fs.readFileSync(localSettingsFile(ws), 'utf8'), '{oops');
  });
});
