// The extension's bundle is required through a V8 code cache kept next to it (src/shared/codeCache.ts,
// issue 9 item 6): the first load compiles and saves, later loads of the same source use the cache,
// a changed source or a damaged cache compiles from source, and the module sees CommonJS as usual.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeCachePaths, requireWithCodeCache } from '../../src/shared/codeCache';

/**
 * Loads `file` in a fresh Node process and saves the cache there: V8 also keeps compiled scripts
 * in memory for the life of a process, which would answer a second load here without the file.
 */
function loadFresh(file: string): { cache: string; value: number; saved: boolean } {
  const loader = path.join(__dirname, '../../src/shared/codeCache.js');
  const program = `const l = require(${JSON.stringify(loader)}).requireWithCodeCache(${JSON.stringify(file)});
l.save().then((saved) => console.log(JSON.stringify({ cache: l.cache, value: l.exports.value, saved })));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' })) as {
    cache: string;
    value: number;
    saved: boolean;
  };
}

const BUNDLE = `"use strict";
const helper = require('./helper.js');
exports.value = helper.twice(21);
exports.where = { file: __filename, dir: __dirname, self: module.exports === exports };
exports.fails = function fails() { throw new Error('from the bundle'); };
`;

describe('requireWithCodeCache', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
    file = path.join(dir, 'bundle.js');
    fs.writeFileSync(file, BUNDLE);
    fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.twice = (n) => n * 2;\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cacheFiles = () =>
    fs.existsSync(path.join(dir, '.code-cache')) ? fs.readdirSync(path.join(dir, '.code-cache')) : [];

  it('runs the file as CommonJS: its own require, exports, module, __filename and __dirname', () => {
    const loaded = requireWithCodeCache(file);
    const exports = loaded.exports as { value: number; where: { file: string; dir: string; self: boolean } };
    assert.equal(exports.value, 42);
    assert.deepEqual(exports.where, { file, dir, self: true });
  });

  it('compiles the first time, saves, and the next process loading the same source uses the cache', () => {
    const first = loadFresh(file);
    assert.deepEqual(first, { cache: 'absent', value: 42, saved: true });
    assert.deepEqual(cacheFiles(), [path.basename(codeCachePaths(file, BUNDLE).file)]);
    assert.deepEqual(loadFresh(file), { cache: 'used', value: 42, saved: true });
  });

  it('a changed source does not use the old cache, and saving it removes the old one', () => {
    loadFresh(file);
    const before = cacheFiles();
    fs.writeFileSync(file, BUNDLE.replace('twice(21)', 'twice(50)'));
    assert.deepEqual(loadFresh(file), { cache: 'absent', value: 100, saved: true });
    const after = cacheFiles();
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
    assert.equal(loadFresh(file).cache, 'used');
  });

  it('a damaged cache is rejected by V8 and the source runs as if there were none', () => {
    loadFresh(file);
    fs.writeFileSync(codeCachePaths(file, BUNDLE).file, Buffer.from('not a V8 code cache, just bytes'));
    assert.deepEqual(loadFresh(file), { cache: 'rejected', value: 42, saved: true });
    // Saving replaced the damaged cache with one V8 takes.
    assert.equal(loadFresh(file).cache, 'used');
  });

  it('a folder it cannot write leaves the load working and save() says it did not write', async function () {
    if (process.getuid?.() === 0) {
      // root writes anywhere: stand a file where the cache folder would go instead.
      fs.writeFileSync(path.join(dir, '.code-cache'), '');
    } else {
      fs.chmodSync(dir, 0o555);
    }
    try {
      const loaded = requireWithCodeCache(file);
      assert.equal((loaded.exports as { value: number }).value, 42);
      assert.equal(await loaded.save(), false);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });

  it("an error the bundle throws names the bundle's file and line", () => {
    const loaded = requireWithCodeCache(file);
    const { fails } = loaded.exports as { fails: () => void };
    assert.throws(fails, (e: Error) => {
      assert.match(e.stack ?? '', new RegExp(`${path.basename(file)}:5:`));
      return true;
    });
  });
});
