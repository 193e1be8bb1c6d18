// The QuickJS WebAssembly module, compiled once per process and handed to every sandbox
// worker: V8 shares compiled (and tiered-up) code across workers, so runs do not start cold.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bundled: the .wasm ships next to the bundle. Unbundled (tests): the package's own copy. */
export function quickJsWasmPath(dir = __dirname): string {
  const local = path.join(dir, 'emscripten-module.wasm');
  return fs.existsSync(local) ? local : require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
}

let compiled: WebAssembly.Module | undefined;

export function compiledQuickJs(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(fs.readFileSync(quickJsWasmPath()));
  return compiled;
}
