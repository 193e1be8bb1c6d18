// Remote agents from the editor (issue 13), in the real extension host: without an engine a run
// that sends agents away is refused with how to set one, an unreachable engine is named masked
// (never its password) with what to do, and isolation: 'remote' without an engine says where to set it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { extensionApi, startFakeModel, waitFor, workspaceFile } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-remote-test';
const G = vscode.ConfigurationTarget.Global;
const PASSWORD = 'n0t-in-any-message';

describe('remote agents from VS Code', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const uri = () => workspaceFile('remote-me.js');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    server.respond(echo);
    await vscode.commands.executeCommand('dynamicWorkflows.clearRemoteEngine');
  });

  afterEach(async () => {
    delete process.env.DWF_ENGINE_URL;
    await config().update('agents', undefined, G);
  });

  after(async () => {
    await server?.close();
  });

  it('refuses agents: "remote" without an engine, saying how to set one, and sends nothing', async () => {
    await config().update('agents', 'remote', G);
    server.requests.length = 0;
    await assert.rejects(
      api.controller.runFile(uri()),
      (e: Error) =>
        e.name === 'RunRefused' && /no remote engine is set: run "Workflows: Set Remote Engine…"/.test(e.message),
    );
    assert.equal(server.requests.length, 0);
  });

  it('names an unreachable engine masked, with what to do, and sends nothing', async () => {
    await config().update('agents', 'remote', G);
    // Port 1 on this machine: nothing listens there, the connection is refused at once.
    process.env.DWF_ENGINE_URL = `postgresql://dwf:${PASSWORD}@127.0.0.1:1/dwf`;
    server.requests.length = 0;
    await assert.rejects(api.controller.runFile(uri()), (e: Error) => {
      assert.equal(e.name, 'RunRefused');
      assert.ok(!e.message.includes(PASSWORD), e.message);
      assert.match(e.message, /The remote engine postgresql:\/\/dwf:\*\*\*@127\.0\.0\.1:1\/dwf cannot be used/);
      assert.match(e.message, /cannot reach the remote engine/);
      assert.match(e.message, /dwf engine init/);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it("tells an isolation: 'remote' agent without an engine where VS Code sets one", async () => {
    const run = await api.controller.runFile(workspaceFile('remote-marked.js'));
    const result = await run.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.match(String(result.result), /needs a remote engine: .*In VS Code: run "Workflows: Set Remote Engine…"/);
  });

  it('ignores a workspace\'s agents: "remote" (a repository must not send agents elsewhere): the run stays local', async () => {
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const original = fs.readFileSync(file, 'utf8');
    // With a concurrency that changes, to know when VS Code has read the file (agents itself, being
    // machine-scoped, never shows in the workspace's configuration).
    const mark = 7;
    fs.writeFileSync(
      file,
      JSON.stringify({ 'dynamicWorkflows.agents': 'remote', 'dynamicWorkflows.concurrency': mark }, null, 2),
    );
    try {
      await waitFor(
        'VS Code to read .vscode/settings.json',
        () => config().inspect('concurrency')?.workspaceValue === mark,
      );
      server.requests.length = 0;
      const run = await api.controller.runFile(uri());
      const result = await run.done;
      assert.equal(result.status, 'completed', result.error?.message);
      assert.ok(server.requests.length >= 1, 'the agent ran here, against the model');
    } finally {
      fs.writeFileSync(file, original);
      await waitFor(
        'VS Code to read the restored settings',
        () => config().inspect('concurrency')?.workspaceValue !== mark,
      );
    }
  });

  it('keeps the engine URL from Set Remote Engine… in secret storage and Clear Remote Engine removes it', async () => {
    const url = `postgresql://dwf:${PASSWORD}@127.0.0.1:1/dwf`;
    const dialogs = answer(api, { input: url });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.setRemoteEngine'), true);
    } finally {
      dialogs.restore();
    }
    await config().update('agents', 'remote', G);
    await assert.rejects(api.controller.runFile(uri()), /postgresql:\/\/dwf:\*\*\*@127\.0\.0\.1:1\/dwf cannot be used/);
    await vscode.commands.executeCommand('dynamicWorkflows.clearRemoteEngine');
    await assert.rejects(api.controller.runFile(uri()), /no remote engine is set/);
  });
});
