// What activation loads (issue 9 item 6): dist/extension.js must not contain the agent layer — the
// Anthropic SDK, the tools' HTML converter and glob, the Bash parser, yaml. The runner (with the
// SDK) is the agent worker's bundle (dist/agentWorker.js, a worker thread per run, issue 9 item 7);
// the permission rules the main thread reads are dist/agentLayer.js, required on first use. A module in both bundles exists twice
// at run time, so only modules without state or identity checks may be shared.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  'src/shared/abort.ts',
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

// What esbuild.mjs ships: the same plugins, imported from scripts/esbuildPlugins.mjs.
interface ShippedPlugins {
  sharedNamespace: esbuild.Plugin;
  guestSourceAsText: esbuild.Plugin;
  lazyChunk(chunks: Record<string, string>): esbuild.Plugin;
  ACTIVATION_LAZY_CHUNKS: Record<string, string>;
  BUNDLE_OPTIONS: esbuild.BuildOptions;
}

const shippedPlugins = async () =>
  (await import(pathToFileURL(path.join(ROOT, 'scripts/esbuildPlugins.mjs')).href)) as ShippedPlugins;

/** One bundle of the build: its code and the files esbuild put in it. */
interface Bundle {
  text: string;
  inputs: string[];
}

type ShippedBundles = Record<'extension' | 'agentLayer' | 'agentWorker', Bundle>;

let shippedBuild: Promise<ShippedBundles> | undefined;

/**
 * The bundles as esbuild.mjs builds them (BUNDLE_OPTIONS and the plugins, in memory): the
 * extension with the activation's lazy chunks, the agent layer and the agent worker in a build of
 * their own without them. Built once, for every suite of this file.
 */
function buildShipped(): Promise<ShippedBundles> {
  return (shippedBuild ??= (async () => {
    const plugins = await shippedPlugins();
    const common = {
      ...plugins.BUNDLE_OPTIONS,
      absWorkingDir: ROOT,
      outdir: 'dist',
      write: false as const,
      metafile: true as const,
      logLevel: 'silent' as const,
    } satisfies esbuild.BuildOptions;
    const [activation, agents] = await Promise.all([
      esbuild.build({
        ...common,
        entryPoints: { extension: 'src/extension.ts' },
        plugins: [
          plugins.sharedNamespace,
          plugins.guestSourceAsText,
          plugins.lazyChunk(plugins.ACTIVATION_LAZY_CHUNKS),
        ],
      }),
      esbuild.build({
        ...common,
        entryPoints: { agentLayer: 'src/vscode/agents/agentLayer.ts', agentWorker: 'src/host/agentWorker/worker.ts' },
        plugins: [plugins.sharedNamespace, plugins.guestSourceAsText],
      }),
    ]);
    const bundle = (result: esbuild.BuildResult<typeof common>, name: string): Bundle => ({
      text: result.outputFiles.find((f) => f.path.endsWith(`${path.sep}${name}.js`))!.text,
      inputs: Object.keys(result.metafile.outputs[`dist/${name}.js`]?.inputs ?? {}),
    });
    return {
      extension: bundle(activation, 'extension'),
      agentLayer: bundle(agents, 'agentLayer'),
      agentWorker: bundle(agents, 'agentWorker'),
    };
  })());
}

describe('activation bundle', function () {
  this.timeout(60_000);
  let extension: string[];
  let agentLayer: string[];
  let agentWorker: string[];

  before(async () => {
    const built = await buildShipped();
    extension = built.extension.inputs;
    agentLayer = built.agentLayer.inputs;
    agentWorker = built.agentWorker.inputs;
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

describe('activation bundle as esbuild.mjs builds it', function () {
  this.timeout(60_000);
  let text: string;
  let inputs: string[];

  before(async () => {
    ({ text, inputs } = (await buildShipped()).extension);
  });

  it('acorn and Ajv are not parsed at activation: stubs that require dist/acorn.js and dist/ajv.js on first use', () => {
    const inlined = [...new Set(inputs.map(packageOf).filter((p) => p === 'acorn' || p === 'ajv'))];
    assert.deepEqual(inlined, [], `inlined into dist/extension.js: ${inlined.join(', ')}`);
    assert.match(text, /"acorn\.js"/);
    assert.match(text, /"ajv\.js"/);
  });

  it('vscode and each Node builtin are required once and shared, not copied per importing module', () => {
    const requires = (name: string) => text.split(`require("${name}")`).length - 1;
    assert.equal(requires('vscode'), 1, 'require("vscode") appears more than once');
    for (const builtin of ['node:fs', 'node:path', 'node:os'])
      assert.equal(requires(builtin), 1, `${builtin} required more than once`);
    assert.doesNotMatch(
      text,
      /__toESM\(require\("(vscode|node:[a-z_/]+)"\)\)/,
      'a per-module copy of vscode or a builtin',
    );
  });

  it('a CommonJS require() of a builtin still gets the module itself (its default export), not the shared namespace', async () => {
    const plugins = await shippedPlugins();
    const out = await esbuild.build({
      stdin: {
        // What tsc-compiled dependencies do (the DBOS SDK: __importDefault(require("node:assert"))).
        contents:
          "import * as p from 'node:path'; const a = require('node:assert'); module.exports = { assertIs: typeof a, join: typeof p.join };",
        loader: 'ts',
        resolveDir: ROOT,
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      plugins: [plugins.sharedNamespace],
      write: false,
      logLevel: 'silent',
    });
    const mod = { exports: {} as { assertIs?: string; join?: string } };
    new Function('module', 'exports', 'require', out.outputFiles[0]!.text)(mod, mod.exports, require);
    assert.deepEqual(mod.exports, { assertIs: 'function', join: 'function' });
  });
});
