// Builds the shipped bundles (dist/) or, with --tests, transpiles every TypeScript file to out/
// for mocha and the benchmarks (no bundling there, so stack traces point at real files).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ACTIVATION_LAZY_CHUNKS, BUNDLE_OPTIONS, GUEST_SOURCE, guestSourceAsText, lazyChunk, sharedNamespace } from './scripts/esbuildPlugins.mjs';

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
  const common = {
    ...BUNDLE_OPTIONS,
    sourcemap: !production,
    minify: production,
    // Libraries may look functions up by name (the remote engine registers workflows so): minify identifiers, keep .name.
    keepNames: production,
    logLevel: 'warning',
    // One key: a second `plugins:` line used to override the first, leaving the shared namespaces unused.
    plugins: [sharedNamespace, guestSourceAsText],
  };
  // The remote engine's library requires these only with OpenTelemetry export on, which dwf never turns on.
  const remoteExternals = [
    ...common.external,
    ...['context-async-hooks', 'core', 'exporter-logs-otlp-proto', 'exporter-trace-otlp-proto', 'sdk-logs', 'sdk-trace-base'].map((p) => `@opentelemetry/${p}`),
    'winston',
    'winston-transport',
    'pg-native',
  ];
  const lazyChunks = ACTIVATION_LAZY_CHUNKS;
  const lazyChunkEntries = Object.fromEntries(Object.entries(lazyChunks).map(([pkg, name]) => [name, require.resolve(pkg)]));
  // Workers are bundles of their own, next to the extension and the CLI that start them.
  const workers = { sandboxWorker: 'src/core/sandbox/worker.ts', agentWorker: 'src/host/agentWorker/worker.ts', structuredOutputWorker: 'src/agent/structuredOutputWorker.ts', htmlWorker: 'src/agent/tools/htmlWorker.ts', netBridge: 'src/agent/sandbox/network/netBridge.ts' };
  // The agent layer is loaded on the first run, not at activation (src/vscode/agents/loadAgentLayer.ts).
  await esbuild.build({ ...common, plugins: [...common.plugins, lazyChunk(lazyChunks)], entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' });
  await esbuild.build({ ...common, entryPoints: { agentLayer: 'src/vscode/agents/agentLayer.ts', ...lazyChunkEntries, ...workers }, outdir: 'dist' });
  // The remote engine's conductor for the editor, loaded on the first remote run (src/vscode/agents/loadRemoteLayer.ts).
  await esbuild.build({ ...common, entryPoints: { remoteLayer: 'src/vscode/agents/remoteLayer.ts' }, outdir: 'dist', external: remoteExternals });
  // The `dwf` binary: main.ts must be the entry itself (its require.main check starts the CLI).
  await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
    external: remoteExternals,
  });
  copyFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), 'dist/emscripten-module.wasm');
  // The TypeScript server plugin: its own package (ts-plugin/, next to workflow-api.d.ts), found by
  // tsserver as node_modules/dynamic-workflows-ts-plugin (a file: dependency; in the .vsix, copied).
  await esbuild.build({ ...common, plugins: [], entryPoints: { index: 'src/tsPlugin/index.ts' }, outdir: 'ts-plugin', external: ['typescript'], sourcemap: false });
}
