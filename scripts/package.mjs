#!/usr/bin/env node
// `npm run package`: builds dist/ and packs the extension into <name>-<version>.vsix at the project
// root (gitignored). The package holds what runs and nothing else (.vscodeignore): dist/ minus the
// source maps and the `dwf` CLI bundle, the icons in media/, the bundled workflows/ and snippets/,
// package.json, README, LICENSE. This script checks that list before packing, so a file that
// would leak in (sources, tests, a map) fails the build instead of shipping. No node_modules (--no-dependencies): esbuild bundles them;
// the one exception is the TypeScript server plugin, which tsserver can only load from node_modules (addTsPlugin).
//
// Also imported by scripts/start.mjs and scripts/e2e.mjs: buildVsix() returns the .vsix path.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** Everything a package may contain (paths as vsce lists them, relative to the project). */
const ALLOWED = [
  /^dist\/extension\.js$/,
  /^dist\/agentLayer\.js$/,
  /^dist\/acorn\.js$/,
  /^dist\/ajv\.js$/,
  /^dist\/remoteLayer\.js$/,
  /^dist\/agentWorker\.js$/,
  /^dist\/sandboxWorker\.js$/,
  /^dist\/structuredOutputWorker\.js$/,
  /^dist\/htmlWorker\.js$/,
  /^dist\/netBridge\.js$/,
  /^dist\/emscripten-module\.wasm$/,
  /^media\/[^/]+\.svg$/,
  /^workflows\/[^/]+\.js$/,
  /^snippets\/[^/]+\.code-snippets$/,
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
];
/**
 * The TypeScript server plugin (contributes.typescriptServerPlugins): tsserver loads it by package
 * name from the extension's node_modules only. vsce never packs node_modules without packing every
 * dependency, so these files are added to the .vsix after vsce wrote it (addTsPlugin).
 */
export const TS_PLUGIN = 'dynamic-workflows-ts-plugin';
const TS_PLUGIN_FILES = ['package.json', 'index.js', 'workflow-api.d.ts'];

/** The workflows listed under Bundled (workflows/): one missing is a package with a broken promise. */
const BUNDLED_WORKFLOWS = ['workflows/bug-hunt.js', 'workflows/code-review.js', 'workflows/deep-research.js'];
/** Without these the extension cannot start: a package missing one is broken. */
const REQUIRED = ['dist/extension.js', 'dist/agentLayer.js', 'dist/acorn.js', 'dist/ajv.js', 'dist/agentWorker.js', 'dist/sandboxWorker.js', 'dist/structuredOutputWorker.js', 'dist/htmlWorker.js', 'dist/netBridge.js', 'dist/emscripten-module.wasm', 'package.json', 'snippets/workflow.code-snippets', ...BUNDLED_WORKFLOWS];

function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** Builds dist/ and the .vsix; returns its absolute path. `quiet`: one summary line on stderr instead of the file list. */
export async function buildVsix({ quiet = false } = {}) {
  // The shipped build is minified (activation parses about half the bytes: issue 9 item 6) and has no source maps.
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`node esbuild.mjs --production failed (exit ${build.status})`);

  const vsce = require('@vscode/vsce');
  const files = (await vsce.listFiles({ cwd: root, packageManager: vsce.PackageManager.None })).map((f) => f.split(path.sep).join('/')).sort();
  const extra = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  const missing = REQUIRED.filter((f) => !files.includes(f));
  if (extra.length || missing.length) {
    throw new Error(
      `.vscodeignore lets the wrong files through:${extra.length ? `\n  not allowed: ${extra.join(', ')}` : ''}${missing.length ? `\n  missing: ${missing.join(', ')}` : ''}`,
    );
  }
  // A development bundle names its map, which the package leaves out: a sign the wrong build went in.
  const mapped = files.filter((f) => f.endsWith('.js') && f.startsWith('dist/') && /\n\/\/# sourceMappingURL=/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  if (mapped.length) throw new Error(`development bundles in the package (they name source maps it leaves out): ${mapped.join(', ')}`);

  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const out = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
  // vsce's info lines (its own file tree) go through console.log; its warnings (console.warn) stay.
  const log = console.log;
  console.log = () => undefined;
  try {
    await vsce.createVSIX({
      cwd: root,
      packagePath: out,
      dependencies: false,
      // No public repository yet; README links into the project's shared folder stay as written.
      allowMissingRepository: true,
      rewriteRelativeLinks: false,
    });
  } finally {
    console.log = log;
  }
  await addTsPlugin(out);
  const size = fs.statSync(out).size;
  const unpacked = files.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0);
  const summary = `${path.relative(process.cwd(), out) || out}: ${files.length} files, ${kib(unpacked)} unpacked, ${kib(size)} packed`;
  if (quiet) process.stderr.write(`package: ${summary}\n`);
  else process.stdout.write(`${files.map((f) => `  ${f}  ${kib(fs.statSync(path.join(root, f)).size)}\n`).join('')}${summary}\n`);
  return out;
}

/** Adds ts-plugin/ (built by esbuild.mjs) as extension/node_modules/<TS_PLUGIN>/ in the .vsix. */
async function addTsPlugin(vsix) {
  const JSZip = require('jszip');
  const zip = await JSZip.loadAsync(fs.readFileSync(vsix));
  for (const f of TS_PLUGIN_FILES) {
    const file = path.join(root, 'ts-plugin', f);
    if (!fs.existsSync(file)) throw new Error(`missing ${path.relative(root, file)} (node esbuild.mjs builds index.js)`);
    zip.file(`extension/node_modules/${TS_PLUGIN}/${f}`, fs.readFileSync(file));
  }
  // The package's content types name each file extension it holds; .ts is new here.
  const types = await zip.file('[Content_Types].xml').async('string');
  if (!/Extension="\.ts"/i.test(types))
    zip.file('[Content_Types].xml', types.replace('</Types>', '<Default Extension=".ts" ContentType="text/plain"/></Types>'));
  fs.writeFileSync(vsix, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildVsix().catch((e) => {
    process.stderr.write(`package: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
