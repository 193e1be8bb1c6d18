// What activation loads (issue 9 item 6): dist/extension.js must not contain the agent layer — the
// Anthropic SDK, the tools' HTML converter and glob, the Bash parser, yaml. The runner (with the
// SDK) is the agent worker's bundle (dist/agentWorker.js, a worker thread per run, issue 9 item 7);
// the permission rules the main thread reads are dist/agentLayer.js, required on first use. A module in both bundles exists twice
// at run time, so only modules without state or identity checks may be shared.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

/** Stateless helpers both sides use; anything else in both bundles would exist twice (e.g. run locks). */
const SHARED_OK = new Set([
  'src/core/types.ts',
  'src/core/run/gate.ts',
  'src/agent/models.ts',
  'src/agent/transcript.ts',
  'src/agent/permissions/paths.ts',
  'src/agent/permissions/protected.ts',
  'src/agent/tools/regularFile.ts',
  'src/agent/worktree/gitWorktrees.ts',
  // Pure functions the shared runner assembly (src/host) uses: the personal-folder rule, plugin discovery, positions.
  'src/core/script/positions.ts',
  // Dependency-free pieces of src/shared: a class and pure functions, no module state.
  'src/shared/concurrencyGate.ts',
  'src/shared/usage.ts',
  'src/core/script/index.ts',
  'src/core/registry/paths.ts',
  'src/core/registry/plugins.ts',
  'src/core/registry/scriptFile.ts',
  'src/core/registry/index.ts',
]);

const AGENT_PACKAGES = ['@anthropic-ai/sdk', 'turndown', '@mixmark-io/domino', 'unbash', 'yaml', 'tinyglobby'];

function packageOf(input: string): string | undefined {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
}

describe('activation bundle', function () {
  this.timeout(60_000);
  let extension: string[];
  let agentLayer: string[];
  let agentWorker: string[];

  before(async () => {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: {
        extension: 'src/extension.ts',
        agentLayer: 'src/vscode/agents/agentLayer.ts',
        agentWorker: 'src/host/agentWorker/worker.ts',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode', '@jitl/quickjs-wasmfile-release-sync/wasm'],
      define: { 'import.meta.url': '__import_meta_url' },
      outdir: 'dist',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = (name: string) => Object.keys(result.metafile.outputs[`dist/${name}.js`]?.inputs ?? {});
    extension = inputs('extension');
    agentLayer = inputs('agentLayer');
    agentWorker = inputs('agentWorker');
  });

  it('dist/extension.js holds none of the agent layer packages', () => {
    assert.ok(extension.includes('src/extension.ts'), 'found the extension bundle');
    const found = [...new Set(extension.map(packageOf).filter((p): p is string => !!p && AGENT_PACKAGES.includes(p)))];
    assert.deepEqual(found, [], `imported at activation: ${found.join(', ')} — reach them through loadAgentLayer()`);
    for (const f of ['src/agent/runner.ts', 'src/agent/permissions/shell.ts', 'src/agent/tools/bash.ts'])
      assert.ok(!extension.includes(f), `${f} is in dist/extension.js`);
  });

  it('dist/agentWorker.js holds the runner, the SDK and the Bash parser', () => {
    const packages = new Set(agentWorker.map(packageOf));
    // turndown is in dist/htmlWorker.js: WebFetch converts pages in a worker thread.
    for (const p of ['@anthropic-ai/sdk', 'unbash', 'yaml'])
      assert.ok(packages.has(p), `${p} is not in dist/agentWorker.js`);
    assert.ok(agentWorker.includes('src/agent/runner.ts'), 'the runner is in dist/agentWorker.js');
  });

  it('dist/agentLayer.js, which the main thread may load, holds no SDK and no runner', () => {
    assert.ok(agentLayer.includes('src/agent/permissions/index.ts'), 'found the agent layer bundle');
    assert.ok(!agentLayer.some((f) => packageOf(f) === '@anthropic-ai/sdk'), 'the SDK is in dist/agentLayer.js');
    assert.ok(!agentLayer.includes('src/agent/runner.ts'), 'the runner is in dist/agentLayer.js');
  });

  it('the two bundles share only stateless modules', () => {
    const layer = new Set(agentLayer);
    const shared = extension.filter((f) => f.startsWith('src/') && layer.has(f) && !SHARED_OK.has(f));
    assert.deepEqual(shared, [], `in both bundles (two copies at run time): ${shared.join(', ')}`);
  });
});
