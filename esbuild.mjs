// Builds the shipped bundles (dist/) or, with --tests, transpiles every TypeScript file to out/
// for mocha and the benchmarks (no bundling there, so stack traces point at real files).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tests = process.argv.includes('--tests');
const production = process.argv.includes('--production');

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// The guest preludes (src/core/sandbox/guest/*.guest.js) run inside QuickJS: they are imported
// as their source text, never executed by Node.
const GUEST_SOURCE = /\.guest\.js$/;
const guestSourceAsText = {
  name: 'guest-source-as-text',
  setup(build) {
    build.onLoad({ filter: GUEST_SOURCE }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};
function guestFiles(dir) {
  return readdirSync(dir).filter((name) => GUEST_SOURCE.test(name)).map((name) => join(dir, name));
}

if (tests) {
  // No clean step: parallel builds (several test runs at once) must not delete each other's output.
  await esbuild.build({
    entryPoints: ['src', 'test', 'bench'].flatMap((d) => tsFiles(d)),
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Unbundled, an import of a guest file stays a require(): emit each as a module exporting its text.
  await esbuild.build({
    entryPoints: guestFiles('src/core/sandbox/guest'),
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    loader: { '.js': 'text' },
    logLevel: 'warning',
  });
} else {
  mkdirSync('dist', { recursive: true });
  // quickjs-emscripten's variant loader reads import.meta.url, which a CJS bundle lacks
  // (findings, gotcha 12): define it from __filename and ship the .wasm next to the bundle.
  const common = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    external: ['vscode', '@jitl/quickjs-wasmfile-release-sync/wasm'],
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    plugins: [guestSourceAsText],
  };
  // Workers are bundles of their own, next to the extension and the CLI that start them.
  const workers = { sandboxWorker: 'src/core/sandbox/worker.ts', structuredOutputWorker: 'src/agent/structuredOutputWorker.ts', htmlWorker: 'src/agent/tools/htmlWorker.ts', netBridge: 'src/agent/sandbox/network/netBridge.ts' };
  await esbuild.build({ ...common, entryPoints: { extension: 'src/extension.ts', ...workers }, outdir: 'dist' });
  // The `dwf` binary: main.ts must be the entry itself (its require.main check starts the CLI).
  await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  });
  copyFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), 'dist/emscripten-module.wasm');
}
