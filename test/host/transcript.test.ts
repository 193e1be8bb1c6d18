// Transcripts read like documents, in the real extension host: clicking an agent (running its tree
// item's command) opens its transcript rendered in one webview tab, the agent's Edit shows as a diff
// with the file linked, the link opens the file (and only workspace files), and the run document
// reuses the same tab instead of adding one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';
const OPEN_FILE = 'dynamicWorkflows.openWorkspaceFile';

const SCRIPT = `export const meta = { name: 'transcript-edit', description: 'One agent that edits a file', phases: [] }
return await agent('Capitalise two in transcript-target.txt', { label: 'capitaliser' })
`;

/** Tabs of our rendered-document webview, in every group. */
function documentTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dynamicWorkflows.document'));
}

describe('transcripts read like documents', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  let runId: string;
  let agentEl: RunsElement;

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
    fs.writeFileSync(path.join(root, 'transcript-edit.js'), SCRIPT);
    fs.writeFileSync(path.join(root, 'transcript-target.txt'), 'one\ntwo\nthree\n');
    server.respond(
      byTurn(
        {
          toolUses: [
            {
              name: 'Edit',
              input: {
                file_path: path.join(root, 'transcript-target.txt'),
                old_string: 'two',
                new_string: 'TWO ``` [x](command:workbench.action.reloadWindow)',
              },
            },
          ],
        },
        { text: 'Capitalised. ![t](https://evil.example/t.png)' },
      ),
    );
    runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('transcript-edit.js'),
    ))!;
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    const findAgent = async (el: RunsElement): Promise<RunsElement | undefined> => {
      if (api.runsTree.agent(el)) return el;
      for (const c of (await api.runsTree.getChildren(el)) ?? []) {
        const found = await findAgent(c);
        if (found) return found;
      }
      return undefined;
    };
    agentEl = await waitFor('the agent element', () => findAgent(api.runsTree.runElement(runId)));
  });

  after(async () => {
    await server?.close();
  });

  it('clicking the agent opens its transcript rendered, the Edit as a diff with the file linked', async () => {
    const item = await api.runsTree.getTreeItem(agentEl);
    assert.equal(item.command?.command, 'dynamicWorkflows.openTranscript', 'a click on the agent opens its transcript');
    const uri = await vscode.commands.executeCommand<string>(item.command.command, ...(item.command.arguments ?? []));

    // The tab API follows the panel a moment later.
    await waitFor('the rendered transcript tab, active', () =>
      documentTabs().find((t) => t.isActive && t.label === 'Transcript: capitaliser'),
    );
    assert.equal(api.documentView.current?.uri, uri);

    const markdown = (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))).getText();
    assert.ok(
      markdown.includes('\n````diff\n-two\n+TWO ``` [x](command:workbench.action.reloadWindow)\n````\n'),
      markdown,
    );
    assert.match(
      markdown,
      /\nEdit \[`transcript-target\.txt`\]\(command:dynamicWorkflows\.openWorkspaceFile\?[^)\s]+\)\n/,
    );
    assert.ok(!markdown.includes('old_string'), 'not the JSON input');

    const html = api.documentView.current!.html;
    assert.match(
      html,
      /<code[^>]* class="[^"]*language-diff[^>]*><span class="hljs-deletion">-two<\/span>\n<span class="hljs-addition">\+TWO/,
      'the diff is a rendered, highlighted code block',
    );
    assert.match(html, /Content-Security-Policy" content="default-src 'none';[^"]*script-src 'none'; font-src 'none'/);
    assert.ok(!/<img|<script|<iframe/i.test(html.replace(/<code[\s\S]*?<\/code>/g, '')), 'nothing loads or runs');
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    assert.equal(hrefs.length, 1, `one link, ours: ${hrefs.join(' ')}`);
    assert.ok(hrefs[0].startsWith(`command:${OPEN_FILE}?`), hrefs[0]);

    // The link opens the file it names; the same command refuses a path outside the workspace.
    const args = JSON.parse(decodeURIComponent(hrefs[0].slice(`command:${OPEN_FILE}?`.length))) as string[];
    assert.equal(await vscode.commands.executeCommand(OPEN_FILE, ...args), true);
    await waitFor(
      'the file in the editor',
      () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root, 'transcript-target.txt'),
    );
    assert.equal(await vscode.commands.executeCommand(OPEN_FILE, path.join(root, '..', 'outside.txt')), false);
  });

  it('the run document and a second transcript reuse the one tab', async () => {
    await vscode.commands.executeCommand('dynamicWorkflows.openTranscript', agentEl);
    await vscode.commands.executeCommand('dynamicWorkflows.showRun', api.runsTree.runElement(runId));
    await vscode.commands.executeCommand('dynamicWorkflows.openTranscript', agentEl);
    const tabs = documentTabs();
    assert.equal(tabs.length, 1, tabs.map((t) => t.label).join(', '));
    await vscode.commands.executeCommand('dynamicWorkflows.showRun', api.runsTree.runElement(runId));
    await waitFor(
      'the tab showing the run',
      () => documentTabs().length === 1 && documentTabs()[0].label === 'Run: transcript-edit',
    );
    assert.match(api.documentView.current!.html, /Capitalised\./, 'the run result, rendered');
  });
});
