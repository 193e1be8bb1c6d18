// The path guard on a real file system: traversal, ~, and symbolic links made in temp dirs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathGuardFor, resolveInWorkspace } from '../../../src/agent/permissions';

describe('permissions/resolveInWorkspace', () => {
  let tmp: string;
  let ws: string;
  let outside: string;
  let home: string;
  const check = (p: string, cwd = ws) => resolveInWorkspace(p, [ws], cwd, home);
  const real = (p: string, cwd = ws) => {
    const r = check(p, cwd);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    return r.real;
  };
  const refused = (p: string, cwd = ws) => {
    const r = check(p, cwd);
    assert.ok(!r.ok, `${p} should be refused, got ${r.ok ? r.real : ''}`);
    return r.reason;
  };

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-paths-')));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    home = path.join(tmp, 'home');
    for (const d of [ws, path.join(ws, 'src/deep'), outside, home]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(ws, 'src/a.ts'), '');
    fs.writeFileSync(path.join(outside, 'secret'), '');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('accepts paths inside, relative or absolute, existing or not', () => {
    assert.equal(real('src/a.ts'), path.join(ws, 'src/a.ts'));
    assert.equal(real(path.join(ws, 'src/a.ts')), path.join(ws, 'src/a.ts'));
    assert.equal(real('.'), ws);
    assert.equal(real('new/nested/dir/file.ts'), path.join(ws, 'new/nested/dir/file.ts'));
    assert.equal(real('a.ts', path.join(ws, 'src')), path.join(ws, 'src/a.ts'));
    assert.equal(real('src/deep/../a.ts'), path.join(ws, 'src/a.ts'));
    assert.equal(real('./src//deep/./x'), path.join(ws, 'src/deep/x'));
  });

  it('refuses ../ escapes, absolute paths outside and ~', () => {
    const reason = refused('../outside/secret');
    assert.match(
      reason,
      /^\.\.\/outside\/secret resolves to .*\/outside\/secret, which is outside the workspace folders \(/,
    );
    refused('src/../../outside/x');
    refused('src/deep/../../../x');
    refused('..', path.join(ws, '.'));
    refused('/etc/passwd');
    refused('~/x');
    refused('~');
    assert.match(refused('~root/x'), /~user/);
    refused(`${ws}-sibling/x`); // a prefix of the name is not inside
  });

  it('refuses a symlink inside the workspace that points outside, for files and folders', () => {
    fs.symlinkSync(path.join(outside, 'secret'), path.join(ws, 'link-file'));
    fs.symlinkSync(outside, path.join(ws, 'link-dir'));
    assert.match(refused('link-file'), /resolves through a symbolic link to .*outside\/secret/);
    refused('link-dir/new-file.txt');
    refused('link-dir/a/b/c.txt');
  });

  it('refuses a dangling symlink whose target would be created outside', () => {
    fs.symlinkSync(path.join(outside, 'not-yet'), path.join(ws, 'dangling'));
    assert.match(refused('dangling'), /not-yet/);
  });

  it('resolves .. after a symlink physically, as the kernel does', () => {
    fs.symlinkSync(path.join(outside), path.join(ws, 'sub-link'));
    // Lexically this is ws/secret; physically it is outside/../secret = tmp/secret.
    assert.match(refused('sub-link/../secret'), new RegExp(`to ${tmp}/secret,`));
    fs.symlinkSync(path.join(ws, 'src/deep'), path.join(ws, 'in-link'));
    assert.equal(real('in-link/../a.ts'), path.join(ws, 'src/a.ts'));
  });

  it('follows relative and chained links, and gives up on loops', () => {
    fs.symlinkSync('src', path.join(ws, 'rel'));
    fs.symlinkSync('rel/deep', path.join(ws, 'chain'));
    assert.equal(real('chain/x.ts'), path.join(ws, 'src/deep/x.ts'));
    fs.symlinkSync('loop-b', path.join(ws, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(ws, 'loop-b'));
    assert.match(refused('loop-a/x'), /too many levels of symbolic links/);
  });

  it('accepts a workspace reached through a symlinked root or cwd', () => {
    const alias = path.join(tmp, 'alias');
    fs.symlinkSync(ws, alias);
    assert.equal(resolveInWorkspace('src/a.ts', [alias], alias, home).ok, true);
    assert.equal(resolveInWorkspace(path.join(alias, 'x'), [ws], ws, home).ok, true);
  });

  it('allows ~ when home is inside a workspace folder, and any of several roots', () => {
    assert.equal(resolveInWorkspace('~/notes.md', [home], ws, home).ok, true);
    assert.equal(resolveInWorkspace(path.join(outside, 'secret'), [ws, outside], ws, home).ok, true);
  });

  it('explains when no folder is open, and refuses empty and NUL paths', () => {
    const r = resolveInWorkspace('x', [], ws, home);
    assert.ok(!r.ok && /none is open/.test(r.reason));
    refused('');
    refused('a\0b');
  });

  it('pathGuardFor binds roots and cwd for the file tools', () => {
    const guard = pathGuardFor([ws], path.join(ws, 'src'), home);
    assert.deepEqual(guard.resolve('a.ts'), { ok: true, real: path.join(ws, 'src/a.ts') });
    assert.equal(guard.resolve('../../x').ok, false);
  });
});
