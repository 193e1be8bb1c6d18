// Activation only where workflows are (issue 9 item 6): this suite's folder has .claude/workflows,
// so the extension is active before the first test runs, and activating did not load the agent
// layer (the Anthropic SDK, the tools, the Bash parser), which waits for the first run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
});
