// What agents may run and what a run needs, inside the extension host: the Bash tool goes through
// the settings allowlist (a real shell in the host process), a command it does not list is asked
// about (approvals.test.ts covers the answers), and a run without an API key never starts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('command gate and preconditions', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });

  after(async () => {
    await config().update('allow', undefined, vscode.ConfigurationTarget.Global);
    process.env.ANTHROPIC_API_KEY = API_KEY;
    await server?.close();
  });

  it('runs a Bash command the dynamicWorkflows.allow setting allows and asks about one it does not', async () => {
    await config().update('allow', ['Bash(echo:*)'], vscode.ConfigurationTarget.Global);
    server.respond(
      byTurn(
        {
          toolUses: [
            { name: 'Bash', input: { command: 'echo allowed-ran' } },
            { name: 'Bash', input: { command: 'touch refused.txt' } },
          ],
        },
        { text: 'finished' },
      ),
    );
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('commands.js'),
    );
    const question = await waitFor('the approval request', () => api.approvals.list().find((p) => p.runId === runId));
    assert.equal(question.command, 'touch refused.txt');
    api.approvals.answer(question.id, 'deny');
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'finished');

    const [allowed, refused] = toolResults(server.requests[before + 1].body);
    assert.equal(allowed.is_error, false);
    assert.match(allowed.content, /allowed-ran/);
    assert.equal(refused.is_error, true);
    assert.match(refused.content, /declined/);
    assert.ok(
      !fs.existsSync(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'refused.txt')),
      'the refused command did not run',
    );
  });

  it('shows a broken rule of the workspace settings as a warning with file, line and column (the assembly dwf uses), and runs', async () => {
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.claude', 'settings.json');
    const text = '{\n  "permissions": {\n    "allow": ["Bash(true"]\n  }\n}\n';
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.writeFileSync(file, text);
    try {
      server.respond(byTurn({ text: 'finished' }));
      const runId = await vscode.commands.executeCommand<string | undefined>(
        'dynamicWorkflows.runFile',
        workspaceFile('commands.js'),
      );
      assert.match(runId ?? '', /^wf_/, 'an ignored allow rule does not stop the run');
      assert.equal((await api.controller.get(runId!)!.done).status, 'completed');
      const said = api.controller.settingsWarnings.notified.filter((m) => m.includes(file));
      assert.equal(said.length, 1, said.join('\n'));
      assert.ok(
        said[0].includes(`${file}:3:15: permissions.allow[0]: "Bash(true": missing ")" at the end; ignored`),
        said[0],
      );
    } finally {
      if (previous === undefined) fs.rmSync(file);
      else fs.writeFileSync(file, previous);
    }
  });

  it('does not start a run without an API key', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const runs = api.controller.list().length;
    const requests = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('commands.js'),
    );
    assert.equal(runId, undefined);
    assert.equal(api.controller.list().length, runs, 'no run was added');
    assert.equal(server.requests.length, requests, 'no model call was made');
  });
});
