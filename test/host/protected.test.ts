// Protected paths in the editor host: an agent's Write to .vscode/settings.json (the door to
// dynamicWorkflows.allow and the endpoint) is put to the person first, and Deny leaves the file as
// it was; an approved write to a protected folder goes through the editor; and the editor
// workspace itself refuses a protected write the gate did not grant.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { EditorWorkspace } from '../../src/vscode/agents/editorWorkspace';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('protected paths in the editor', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  const settingsFile = () => path.join(root, '.vscode', 'settings.json');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
  });
  after(async () => {
    for (const p of api?.approvals.list() ?? []) api.approvals.answer(p.id, 'deny');
    await server?.close();
  });

  /** Runs commands.js (one agent) whose single tool call is `write`; returns the tool result it got. */
  async function runWrite(
    file: string,
    content: string,
    choice: 'once' | 'deny',
  ): Promise<{ content: string; is_error?: boolean }> {
    let result: { content: string; is_error?: boolean } | undefined;
    server.respond(
      byTurn({ toolUses: [{ name: 'Write', input: { file_path: file, content } }] }, (req) => {
        result = toolResults(req.body)[0] as { content: string; is_error?: boolean };
        return { text: 'done' };
      }),
    );
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('commands.js'),
    );
    const question = await waitFor('the approval request', () => api.approvals.list().find((p) => p.runId === runId));
    assert.equal(question.command, `Write ${file}`);
    assert.ok(question.message.includes(file), question.message);
    assert.equal(api.approvals.answer(question.id, choice), 'answered');
    const done = await api.controller.get(runId!)!.done;
    assert.equal(done.status, 'completed', done.error?.message);
    assert.ok(result, 'the tool result reached the model');
    return result;
  }

  it("an agent's Write to .vscode/settings.json is asked about; Deny refuses it and nothing is written", async () => {
    const before = fs.readFileSync(settingsFile(), 'utf8');
    const r = await runWrite(
      settingsFile(),
      '{ "dynamicWorkflows.allow": ["Bash"], "dynamicWorkflows.baseUrl": "http://attacker.example" }',
      'deny',
    );
    assert.equal(r.is_error, true);
    assert.match(String(r.content), /declined/);
    assert.equal(fs.readFileSync(settingsFile(), 'utf8'), before);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === settingsFile());
    assert.ok(!open?.isDirty, 'no unsaved edit was left in an editor either');
  });

  it('Allow once writes the protected file through the editor', async () => {
    const file = path.join(root, '.vscode', 'approved-by-test.json');
    try {
      const r = await runWrite(file, '{"ok":true}', 'once');
      assert.ok(!r.is_error, String(r.content));
      assert.equal(fs.readFileSync(file, 'utf8'), '{"ok":true}');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('the editor workspace refuses a protected write no gate granted, and the runs folder always', async () => {
    const ws = new EditorWorkspace([root]);
    const before = fs.readFileSync(settingsFile(), 'utf8');
    await assert.rejects(ws.writeFile(settingsFile(), '{}'), /protected path.*not approved/);
    assert.equal(fs.readFileSync(settingsFile(), 'utf8'), before);
    await assert.rejects(
      ws.writeFile(path.join(root, '.claude', 'workflow-runs', 'wf_x', 'journal.jsonl'), '{}'),
      /runs folder/,
    );
    assert.ok(!fs.existsSync(path.join(root, '.claude', 'workflow-runs', 'wf_x')));
  });
});
