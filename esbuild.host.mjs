// Builds the extension bundle for the in-host tests: dist/extension.js (vscode stays external),
// next to the sandbox worker and the QuickJS .wasm it loads, all in one folder — the layout the
// shipped extension has. Meant to be folded into esbuild.mjs; until then:
//   node esbuild.host.mjs [--outdir DIR] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const at = argv.indexOf('--outdir');
const outdir = at >= 0 ? argv[at + 1] : 'dist';
const production = argv.includes('--production');

mkdirSync(outdir, { recursive: true });
// quickjs-emscripten's variant loader reads import.meta.url, which a CJS bundle lacks: define it
// from __filename (as esbuild.mjs does) and ship the .wasm next to the bundle.
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // wasm.ts only falls back to require.resolve when no .wasm sits next to the bundle; here one does.
  logOverride: { 'require-resolve-not-external': 'silent' },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir }),
  esbuild.build({ ...common, entryPoints: { sandboxWorker: 'src/core/sandbox/worker.ts' }, outdir }),
]);
copyFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), join(outdir, 'emscripten-module.wasm'));
