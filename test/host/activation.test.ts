// Activation only where workflows are (issue 9 item 6): this suite's folder has .claude/workflows,
// so the extension is active before the first test runs, and activating did not load the agent
// layer (the Anthropic SDK, the tools, the Bash parser), which waits for the first run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeCachePaths } from '../../src/shared/codeCache';
import { activationAtStart } from './activationState';
import { COMMANDS } from '../../src/vscode/commandIds';

describe('activation', () => {
  it('activates on start-up because the folder has .claude/workflows, without loading the agent layer', () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the test folder is open');
    assert.deepEqual(activationAtStart(), { active: true, agentLayerLoaded: false });
  });

  it('registers every command of the command table', async () => {
    const known = new Set(await vscode.commands.getCommands(true));
    const missing = Object.values(COMMANDS).filter((id) => !known.has(id));
    assert.deepEqual(missing, []);
  });

  it('writes the V8 code cache of the bundle it activated from, for the next start (src/main.ts)', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'dynamic-workflows');
    assert.ok(ext, 'the extension is installed');
    assert.equal(ext.packageJSON.main, './dist/main.js', 'the manifest starts at the loader');
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');
    const cache = codeCachePaths(bundle, fs.readFileSync(bundle, 'utf8')).file;
    // Written 5 s after an activation that found none; this suite may start earlier than that.
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(cache) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    assert.ok(fs.existsSync(cache), `no code cache at ${cache}`);
    assert.ok(fs.statSync(cache).size > 10_000, 'the cache holds compiled code');
  });
});
