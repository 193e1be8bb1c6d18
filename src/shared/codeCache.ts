// Requires a CommonJS bundle through a V8 code cache kept next to it, so a start after the first
// skips parsing and compiling it (the extension's bundle: ~25 ms of its activation on a 2-core
// machine, ~2 ms from the cache). Scoped to the one file: Node's module.enableCompileCache() would
// turn caching on for every extension in the shared extension host. The cache sits beside the code
// it was made from, with the same owner and permissions, and goes with it when VS Code replaces the
// folder on an update; where the folder cannot be written, every start compiles as before.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** What the cache did for this load: used, absent (first start, or unwritable), or rejected by V8. */
export type CodeCacheUse = 'used' | 'absent' | 'rejected';

export interface CachedRequire {
  exports: unknown;
  cache: CodeCacheUse;
  /** Writes the cache now (it includes the functions compiled so far); resolves to whether it wrote. */
  save(): Promise<boolean>;
}

// Node's own CommonJS wrapper: the bundle sees the same five names it would under require().
const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The cache folder for `file`, and the cache file for this exact source and V8. */
export function codeCachePaths(file: string, source: string): { dir: string; file: string } {
  // The V8 tag changes with the V8 version and flags that affect code: a cache from another build
  // of V8 is never offered (V8 would reject it anyway, after reading it).
  const key = createHash('sha256')
    .update(source)
    .update(`\0${v8.cachedDataVersionTag()}\0${process.version}`)
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(path.dirname(file), '.code-cache');
  return { dir, file: path.join(dir, `${path.basename(file)}-${key}.bin`) };
}

/**
 * Loads `file` as CommonJS (its own require, module and __dirname), compiling it with the cache
 * when one for this source exists. Errors thrown by the module propagate as from require().
 */
export function requireWithCodeCache(file: string): CachedRequire {
  const source = fs.readFileSync(file, 'utf8');
  const paths = codeCachePaths(file, source);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(paths.file);
  } catch {
    // no cache yet, or not readable: compile from source
  }
  const script = new vm.Script(`(function (${WRAPPER_PARAMS.join(', ')}) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const cache: CodeCacheUse = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, cache, save: () => writeCache(paths, script) };
}

async function writeCache(paths: { dir: string; file: string }, script: vm.Script): Promise<boolean> {
  const name = path.basename(paths.file);
  const bundle = name.slice(0, name.lastIndexOf('-'));
  try {
    await fs.promises.mkdir(paths.dir, { recursive: true });
    // Written whole, then renamed: two windows starting at once never read half a cache.
    const tmp = `${paths.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, script.createCachedData());
    await fs.promises.rename(tmp, paths.file);
    // Caches of earlier builds of the same bundle (a rebuilt dist/ during development).
    for (const other of await fs.promises.readdir(paths.dir))
      if (other !== name && other.startsWith(`${bundle}-`) && other.endsWith('.bin'))
        await fs.promises.rm(path.join(paths.dir, other), { force: true });
    return true;
  } catch {
    return false; // a read-only install: the next start compiles from source, as without a cache
  }
}
