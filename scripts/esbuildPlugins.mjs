// The esbuild plugins and options of the shipped bundles (esbuild.mjs), in a module of their own
// so the activation-bundle test builds with exactly these.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// The guest preludes (src/core/sandbox/guest/*.guest.js) run inside QuickJS: they are imported
// as their source text, never executed by Node.
export const GUEST_SOURCE = /\.guest\.js$/;
export const guestSourceAsText = {
  name: 'guest-source-as-text',
  setup(build) {
    build.onLoad({ filter: GUEST_SOURCE }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

// Every `import * as vscode` (or `* as fs`, `* as path`…) would otherwise copy the whole module
// object into a namespace of its own (esbuild's __toESM, once per importing module: ~80 copies of
// vscode and ~60 of node:path/fs at activation): one shared re-export per module instead.
const SHARED_NAMESPACE = /^(vscode|node:[a-z_/]+)$/;
export const sharedNamespace = {
  name: 'shared-namespace',
  setup(build) {
    build.onResolve({ filter: SHARED_NAMESPACE }, (args) => {
      if (args.namespace === 'shared-namespace') return { path: args.path, external: true };
      // Only our own `import` statements: a require() (a CommonJS dependency's, e.g. tsc's
      // __importDefault) must get the module itself, not a namespace without `default`.
      if (args.kind !== 'import-statement' || args.importer.includes('node_modules')) return undefined;
      return { path: args.path, namespace: 'shared-namespace' };
    });
    // No default export: nothing imports one (the build fails if something starts to).
    build.onLoad({ filter: /.*/, namespace: 'shared-namespace' }, (args) => ({ contents: `export * from '${args.path}';`, loader: 'js' }));
  },
};

/**
 * Packages not needed at activation (`{package: chunk}`): in the bundle each becomes a stub whose
 * exports load dist/<chunk>.js on first access. Their export names are read at build time.
 */
export function lazyChunk(chunks) {
  return {
    name: 'lazy-chunk',
    setup(build) {
      const names = Object.keys(chunks).join('|');
      build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: args.path, namespace: 'lazy-chunk' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => ({
        loader: 'js',
        contents: [
          `let loaded; const load = () => loaded ?? (loaded = require(require('path').join(__dirname, ${JSON.stringify(`${chunks[args.path]}.js`)})));`,
          `for (const key of ${JSON.stringify(Object.keys(require(args.path)))}) Object.defineProperty(module.exports, key, { enumerable: true, get: () => load()[key] });`,
        ].join('\n'),
      }));
    },
  };
}

/** acorn (CodeLens, diagnostics, estimates) and Ajv (the first agent schema): ~450 KB activation does not parse. */
export const ACTIVATION_LAZY_CHUNKS = { acorn: 'acorn', ajv: 'ajv' };

/**
 * The options every shipped bundle is built with (esbuild.mjs adds source maps, minification and
 * the plugins). quickjs-emscripten's variant loader reads import.meta.url, which a CJS bundle lacks
 * (findings, gotcha 12): it is defined from __filename, and the .wasm ships next to the bundle.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode', '@jitl/quickjs-wasmfile-release-sync/wasm'],
  // jsonc-parser's main build is UMD, whose inner require()s a bundle cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
};
