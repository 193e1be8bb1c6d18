#!/usr/bin/env node
// Launches an in-host suite (test:host, bench:host) through @vscode/test-electron's runTests, the
// standard launcher, so the suite starts the same way whichever VS Code runs it:
//
//   node scripts/run-host-tests.mjs [--desktop] <workspace folder> <extensionTestsPath>
//
// Default, offline: `vscodeExecutablePath` is scripts/code-server-host — code-server + headless
// Chromium (scripts/vscode-host.mjs, tools from scripts/install-host-tools.sh).
// `--desktop` or VSCODE_HOST=desktop: real desktop VS Code, downloaded by runTests into
// .vscode-test/ (VSCODE_VERSION, default `stable`); needs the network and a display (xvfb-run on
// a headless Linux). The closing `N passed, N failed` line is printed last, as `npm test` expects.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const desktop = argv.includes('--desktop') || process.env.VSCODE_HOST === 'desktop';
const [folder, testsPath] = argv.filter((a) => a !== '--desktop');
if (!folder || !testsPath) {
  console.error('usage: node scripts/run-host-tests.mjs [--desktop] <workspace folder> <extensionTestsPath>');
  process.exit(2);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'host-tests-'));
// One file for the closing line: the suite writes it there under desktop VS Code (HOST_TEST_RESULTS);
// the code-server runner, which gives the suite a file of its own, copies its closing line there (HOST_TEST_SUMMARY).
const summaryFile = path.join(scratch, 'summary.txt');

/** What the code-server runner does itself, for desktop VS Code: a copy of the folder (tests write runs and edits into it) and a throw-away HOME without the person's Anthropic settings. */
function desktopOptions() {
  const copy = path.join(scratch, 'workspace', path.basename(path.resolve(folder)));
  fs.cpSync(path.resolve(folder), copy, { recursive: true, filter: (p) => !p.includes(`${path.sep}.claude${path.sep}workflow-runs`) });
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  const unset = Object.keys(process.env).filter((k) => k.startsWith('ANTHROPIC_') || k.startsWith('CLAUDE_'));
  return {
    version: process.env.VSCODE_VERSION ?? 'stable',
    launchArgs: [copy],
    extensionTestsEnv: { HOME: home, HOST_TEST_RESULTS: summaryFile, ...Object.fromEntries(unset.map((k) => [k, undefined])) },
  };
}

const options = {
  extensionDevelopmentPath: projectRoot,
  extensionTestsPath: path.resolve(testsPath),
  ...(desktop
    ? desktopOptions()
    : {
        vscodeExecutablePath: path.join(projectRoot, 'scripts', 'code-server-host'),
        launchArgs: [path.resolve(folder)],
        extensionTestsEnv: { HOST_TEST_SUMMARY: summaryFile },
      }),
};

let exitCode = 0;
try {
  await runTests(options);
} catch (e) {
  exitCode = typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  console.error(`[run-host-tests] ${e instanceof Error ? e.message : String(e)}`);
}
const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').trim() : '';
console.log(/^\d+ passed, \d+ failed/.test(summary) ? summary : `0 passed, ${exitCode ? 1 : 0} failed`);
fs.rmSync(scratch, { recursive: true, force: true });
process.exit(exitCode);
