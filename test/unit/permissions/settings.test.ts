// Settings files on disk: the three Claude Code locations, host rules, and broken files that
// must be reported (naming the file); those that may hide a deny rule are fatal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPermissionRules, settingsFiles } from '../../../src/agent/permissions';

describe('permissions/loadPermissionRules', () => {
  let tmp: string;
  let home: string;
  let root: string;
  const write = (file: string, content: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-settings-'));
    home = path.join(tmp, 'home');
    root = path.join(tmp, 'ws');
    fs.mkdirSync(home);
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads user, project and local settings, plus host rules, and tags each rule with its source', async () => {
    write(path.join(home, '.claude/settings.json'), { permissions: { allow: ['Bash(ls:*)'], deny: ['Bash(rm:*)'] } });
    write(path.join(root, '.claude/settings.json'), {
      permissions: { allow: ['Bash(npm run test:*)', 'Read(src/**)'], ask: ['Bash(git push:*)'] },
      model: 'x',
    });
    write(path.join(root, '.claude/settings.local.json'), { permissions: { allow: ['Bash(git status)'] } });
    const loaded = await loadPermissionRules({
      roots: [root],
      home,
      extra: [{ source: '--allow', allow: ['Bash(make)'] }],
    });
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(
      loaded.rules.allow.map((r) => r.text),
      ['Bash(ls:*)', 'Bash(npm run test:*)', 'Read(src/**)', 'Bash(git status)', 'Bash(make)'],
    );
    assert.deepEqual(
      loaded.rules.deny.map((r) => r.text),
      ['Bash(rm:*)'],
    );
    assert.deepEqual(
      loaded.rules.ask.map((r) => r.text),
      ['Bash(git push:*)'],
    );
    assert.equal(loaded.rules.allow[3].source, path.join(root, '.claude/settings.local.json'));
    assert.equal(loaded.rules.allow[4].source, '--allow');
    assert.equal(loaded.files.length, 3);
  });

  it('missing files and a settings file without permissions are fine', async () => {
    write(path.join(root, '.claude/settings.json'), { env: { A: '1' } });
    const loaded = await loadPermissionRules({ roots: [root], home });
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.rules.allow.length, 0);
  });

  it('malformed JSON: a problem naming the file, its rules ignored, the other files still read', async () => {
    const broken = path.join(root, '.claude/settings.json');
    write(broken, '{ "permissions": { "allow": ["Bash(rm -rf /)"], }');
    write(path.join(root, '.claude/settings.local.json'), { permissions: { allow: ['Bash(git status)'] } });
    const loaded = await loadPermissionRules({ roots: [root], home });
    assert.equal(loaded.problems.length, 1);
    assert.ok(loaded.problems[0].startsWith(`${broken}: not valid JSON (`), loaded.problems[0]);
    assert.match(loaded.problems[0], /it may hold deny rules/);
    assert.deepEqual(loaded.fatal, loaded.problems, 'the run must not start: the file may hold deny rules');
    assert.deepEqual(
      loaded.rules.allow.map((r) => r.text),
      ['Bash(git status)'],
    );
  });

  it('wrong shapes and bad entries are reported one by one; good entries still count', async () => {
    const user = path.join(home, '.claude/settings.json');
    const project = path.join(root, '.claude/settings.json');
    const local = path.join(root, '.claude/settings.local.json');
    write(user, '[1, 2]');
    write(project, { permissions: { allow: 'Bash(ls)', deny: ['Bash(rm:*)', 7, 'Bash(', 'bash(x)'] } });
    write(local, { permissions: true });
    const loaded = await loadPermissionRules({
      roots: [root],
      home,
      extra: [{ source: '--allow', allow: ['Bash()'] }],
    });
    assert.deepEqual(
      loaded.rules.deny.map((r) => r.text),
      ['Bash(rm:*)'],
    );
    assert.equal(loaded.problems.length, 7, loaded.problems.join('\n'));
    assert.match(loaded.problems[0], new RegExp(`^${escape(user)}: expected a JSON object`));
    assert.match(loaded.problems[1], new RegExp(`^${escape(project)}: "permissions.allow" must be an array`));
    assert.match(
      loaded.problems[2],
      new RegExp(`^${escape(project)}: permissions.deny\\[1\\]: a rule must be a string`),
    );
    assert.match(loaded.problems[3], /permissions\.deny\[2\]: "Bash\(": missing "\)"/);
    assert.match(loaded.problems[4], /permissions\.deny\[3\]: .*did you mean Bash/);
    assert.match(loaded.problems[5], new RegExp(`^${escape(local)}: "permissions" must be an object`));
    assert.match(loaded.problems[6], /^--allow allow\[0\]: .*empty parentheses/);
    // Fatal: the file that is not an object, each broken deny rule, the broken "permissions";
    // not: a broken allow list or allow rule (dropping an allow rule only asks more).
    assert.deepEqual(loaded.fatal, [
      loaded.problems[0],
      loaded.problems[2],
      loaded.problems[3],
      loaded.problems[4],
      loaded.problems[5],
    ]);
  });

  it('a deny rule missing its ")" stops the run; a broken allow rule only warns, unless the source is strict', async () => {
    write(path.join(root, '.claude/settings.json'), {
      permissions: { deny: ['Bash(rm:*'], ask: ['Bash('], allow: ['Bash(ls'] },
    });
    const loaded = await loadPermissionRules({
      roots: [root],
      home: null,
      extra: [
        { source: '--allow', allow: ['Bash('], strict: true },
        { source: 'dynamicWorkflows.allow', allow: ['Bash(x'] },
      ],
    });
    assert.equal(loaded.rules.deny.length, 0);
    assert.equal(loaded.problems.length, 5, loaded.problems.join('\n'));
    assert.equal(loaded.fatal.length, 3, loaded.fatal.join('\n'));
    assert.match(loaded.fatal[0], /settings\.json: permissions\.deny\[0\]: "Bash\(rm:\*": missing "\)"/);
    assert.match(loaded.fatal[1], /permissions\.ask\[0\]/);
    assert.match(loaded.fatal[2], /^--allow allow\[0\]: "Bash\(": missing/);
    assert.ok(loaded.problems.some((p) => /permissions\.allow\[0\].*; ignored$/.test(p)));
    assert.ok(loaded.problems.some((p) => /^dynamicWorkflows\.allow allow\[0\].*; ignored$/.test(p)));
  });

  it('an unreadable settings path is a problem, an empty file is not', async () => {
    fs.mkdirSync(path.join(root, '.claude/settings.json'), { recursive: true }); // a directory: EISDIR
    write(path.join(root, '.claude/settings.local.json'), '  \n');
    const loaded = await loadPermissionRules({ roots: [root], home: null });
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0], /settings\.json: cannot be read \(EISDIR\)/);
    assert.deepEqual(loaded.fatal, loaded.problems);
  });

  it('accepts a byte-order mark', async () => {
    write(path.join(root, '.claude/settings.json'), `\ufeff${JSON.stringify({ permissions: { allow: ['Bash'] } })}`);
    const loaded = await loadPermissionRules({ roots: [root], home: null });
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.fatal, []);
    assert.equal(loaded.rules.allow[0].kind, 'any');
  });

  it('lists the files in order: user, then each root’s settings and local settings', () => {
    assert.deepEqual(settingsFiles(['/a', '/b'], '/h'), [
      '/h/.claude/settings.json',
      '/a/.claude/settings.json',
      '/a/.claude/settings.local.json',
      '/b/.claude/settings.json',
      '/b/.claude/settings.local.json',
    ]);
    assert.equal(settingsFiles(['/a'], null).length, 2);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
