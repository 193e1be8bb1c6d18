// A remote agent's patch (made by `git diff --cached --binary`, as the worker does) taken as
// whole-file writes for the editor: the result must equal what git itself makes of the change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PatchNotApplicable, patchWrites, unquote } from '../../../src/vscode/agents/remotePatch';

/** A repository with `before` committed, then `after` staged; returns the worker's patch. */
function patchOf(before: Record<string, string | Buffer>, after: Record<string, string | Buffer | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-patch-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  try {
    git('init', '-q');
    for (const [f, c] of Object.entries(before)) write(dir, f, c);
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', 'base');
    for (const [f, c] of Object.entries(after)) {
      if (c === null) fs.rmSync(path.join(dir, f));
      else write(dir, f, c);
    }
    git('add', '-A');
    return git('diff', '--cached', '--binary', 'HEAD');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

const reader = (files: Record<string, string>) => (f: string) => Promise.resolve(files[f]);

describe('remote patch → editor writes', () => {
  it('turns a change in the middle of a file into its new full text', async () => {
    const before = { 'src/a.txt': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n' };
    const after = { 'src/a.txt': 'one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\nten\neleven\n' };
    const writes = await patchWrites(patchOf(before, after), reader(before));
    assert.deepEqual(writes, [{ kind: 'write', file: 'src/a.txt', content: after['src/a.txt'] }]);
  });

  it('creates new files (also empty ones) and deletes removed ones', async () => {
    const before = { 'gone.txt': 'bye\n', 'keep.txt': 'k\n' };
    const patch = patchOf(before, { 'gone.txt': null, 'new/file.md': '# hi\n', 'empty.txt': '' });
    const writes = await patchWrites(patch, reader(before));
    assert.ok(writes !== 'already');
    assert.deepEqual(
      new Set(writes.map((w) => JSON.stringify(w))),
      new Set([
        JSON.stringify({ kind: 'delete', file: 'gone.txt' }),
        JSON.stringify({ kind: 'write', file: 'new/file.md', content: '# hi\n' }),
        JSON.stringify({ kind: 'write', file: 'empty.txt', content: '' }),
      ]),
    );
  });

  it('keeps a missing final newline and CRLF endings as git made them', async () => {
    const before = { 'w.txt': 'a\r\nb\r\nc', 'x.txt': 'x\ny' };
    const after = { 'w.txt': 'a\r\nB\r\nc\r\n', 'x.txt': 'x\ny\nz' };
    const writes = await patchWrites(patchOf(before, after), reader(before));
    assert.deepEqual(writes, [
      { kind: 'write', file: 'w.txt', content: after['w.txt'] },
      { kind: 'write', file: 'x.txt', content: after['x.txt'] },
    ]);
  });

  it('applies hunks to a workspace whose lines moved since the base commit', async () => {
    const body = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const patch = patchOf({ 'm.txt': body }, { 'm.txt': body.replace('line 20', 'LINE 20') });
    const local = 'a local line\nanother\n' + body;
    const writes = await patchWrites(patch, reader({ 'm.txt': local }));
    assert.deepEqual(writes, [{ kind: 'write', file: 'm.txt', content: local.replace('line 20', 'LINE 20') }]);
  });

  it('takes a rename as a write of the new name and a delete of the old one', async () => {
    const text = Array.from({ length: 20 }, (_, i) => `row ${i}`).join('\n') + '\n';
    const patch = patchOf({ 'old/name.ts': text }, { 'old/name.ts': null, 'new/name.ts': text + 'row 20\n' });
    const writes = await patchWrites(patch, reader({ 'old/name.ts': text }));
    assert.deepEqual(writes, [
      { kind: 'write', file: 'new/name.ts', content: text + 'row 20\n' },
      { kind: 'delete', file: 'old/name.ts' },
    ]);
  });

  it('reads quoted names (spaces, quotes, non-ASCII)', async () => {
    const patch = patchOf({}, { 'café "x".txt': 'ok\n' });
    assert.deepEqual(await patchWrites(patch, reader({})), [{ kind: 'write', file: 'café "x".txt', content: 'ok\n' }]);
    assert.equal(unquote('"a\\tb\\303\\251"'), 'a\tbé');
  });

  it("says 'already' when the workspace holds the result (a resumed conductor)", async () => {
    const before = { 'a.txt': 'a\nb\n', 'gone.txt': 'g\n' };
    const after = { 'a.txt': 'a\nB\n', 'gone.txt': null, 'n.txt': 'n\n' };
    const patch = patchOf(before, after);
    assert.equal(await patchWrites(patch, reader({ 'a.txt': 'a\nB\n', 'n.txt': 'n\n' })), 'already');
  });

  it('refuses, with the reason, a patch that does not match the workspace', async () => {
    const patch = patchOf({ 'a.txt': 'a\nb\nc\n' }, { 'a.txt': 'a\nB\nc\n' });
    await assert.rejects(patchWrites(patch, reader({ 'a.txt': 'x\ny\nz\n' })), (e: Error) => {
      assert.ok(e instanceof PatchNotApplicable);
      assert.match(e.message, /a\.txt do not match its current text/);
      return true;
    });
    await assert.rejects(patchWrites(patch, reader({})), /a\.txt does not exist/);
  });

  it('refuses binary patches instead of losing them', async () => {
    const patch = patchOf({}, { 'img.bin': Buffer.from([0, 1, 2, 255, 0, 7]) });
    await assert.rejects(patchWrites(patch, reader({})), (e: Error) => {
      assert.ok(e instanceof PatchNotApplicable);
      assert.match(e.message, /binary change to img\.bin/);
      return true;
    });
    await assert.rejects(patchWrites('this is not a patch\n', reader({})), /not a git patch/);
  });
});
