// FsWorkspace, the CLI host's Workspace: real roots, atomic writes that keep the file's mode and
// write through symlinks, parent folders created, and no writes outside the roots.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { tempDir, write } from './helpers';

describe('agent/FsWorkspace', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = tempDir('dwf-fsws-');
    root = path.join(base, 'ws');
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('resolves its roots to real paths', () => {
    fs.symlinkSync(root, path.join(base, 'link'));
    assert.deepEqual(new FsWorkspace([path.join(base, 'link'), `${root}/../ws`]).roots, [root, root]);
    assert.throws(() => new FsWorkspace([path.join(base, 'missing')]), /ENOENT/);
    assert.throws(() => new FsWorkspace([]), /at least one workspace folder/);
  });

  it('reads, writes (creating folders) and tells whether a file exists', async () => {
    const ws = new FsWorkspace([root]);
    const file = path.join(root, 'a/b/c.txt');
    assert.equal(await ws.exists(file), false);
    await ws.writeFile(file, 'héllo\n');
    assert.equal(await ws.exists(file), true);
    assert.equal(await ws.readFile(file), 'héllo\n');
    await ws.writeFile(file, 'again');
    assert.equal(fs.readFileSync(file, 'utf8'), 'again');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['c.txt'], 'no temp files left behind');
  });

  it('keeps the permissions of a file it replaces', async () => {
    const ws = new FsWorkspace([root]);
    const script = write(root, 'run.sh', '#!/bin/sh\n');
    fs.chmodSync(script, 0o754);
    await ws.writeFile(script, '#!/bin/sh\necho hi\n');
    assert.equal(fs.statSync(script).mode & 0o777, 0o754);
  });

  it('replaces atomically: a reader never sees a partial file', async () => {
    const ws = new FsWorkspace([root]);
    const file = write(root, 'big.txt', 'A'.repeat(4_000_000));
    const seen = new Set<string>();
    let done = false;
    const writing = ws.writeFile(file, 'B'.repeat(4_000_000)).then(() => {
      done = true;
    });
    while (!done) {
      const text = fs.readFileSync(file, 'utf8');
      seen.add(`${text.length}:${text[0]}${text[text.length - 1]}`);
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    for (const s of seen) assert.ok(s === '4000000:AA' || s === '4000000:BB', s);
  });

  it('writes through a symlink to its target instead of replacing the link', async () => {
    const ws = new FsWorkspace([root]);
    const target = write(root, 'real.txt', 'old');
    fs.symlinkSync(target, path.join(root, 'alias.txt'));
    await ws.writeFile(path.join(root, 'alias.txt'), 'new');
    assert.equal(fs.lstatSync(path.join(root, 'alias.txt')).isSymbolicLink(), true);
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
  });

  it('refuses relative paths and writes that land outside the roots', async () => {
    const ws = new FsWorkspace([root]);
    await assert.rejects(ws.readFile('rel.txt'), /Workspace paths must be absolute: rel\.txt/);
    await assert.rejects(
      ws.writeFile(path.join(root, '../outside.txt'), 'x'),
      /outside\.txt is outside the workspace folders/,
    );
    fs.mkdirSync(path.join(base, 'out'));
    fs.symlinkSync(path.join(base, 'out'), path.join(root, 'escape'));
    await assert.rejects(ws.writeFile(path.join(root, 'escape/x.txt'), 'x'), /is outside the workspace folders/);
    assert.equal(fs.existsSync(path.join(base, 'outside.txt')), false);
    assert.equal(fs.existsSync(path.join(base, 'out/x.txt')), false);
  });
});
