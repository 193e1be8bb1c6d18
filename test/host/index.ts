// The in-host suite's entry point: VS Code's extension host calls run() (extensionTestsPath) and
// ends the session with its outcome — resolve passes, reject fails. Mocha's spec report goes to the
// console, which the workbench forwards to scripts/vscode-host.mjs; the count goes to the file in
// HOST_TEST_RESULTS, which the runner prints as its closing line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import MochaModule = require('mocha');
import { recordActivationAtStart } from './activationState';
import { ordered } from './order';

// mocha 12's entry is an ES module re-exporting its CJS build: require() yields the namespace.
const Mocha = (MochaModule as unknown as { default?: typeof MochaModule }).default ?? MochaModule;

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  recordActivationAtStart();
  return runSuite(__dirname);
}

/** Runs every `*.test.js` under `dir` (also the entry of test/hostLazy, in a folder of its own). */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.HOST_TEST_MOCHA_TIMEOUT ?? 60_000),
    ...(process.env.HOST_TEST_GREP ? { grep: process.env.HOST_TEST_GREP } : {}),
  });
  for (const f of ordered(testFiles(dir), process.env.HOST_TEST_ORDER)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      const line = `${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`;
      if (process.env.HOST_TEST_RESULTS) fs.writeFileSync(process.env.HOST_TEST_RESULTS, line + '\n');
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
  });
}
