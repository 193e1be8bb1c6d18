// Agents in the editor: their file tools go through EditorWorkspace, so an agent reads what an open
// editor shows (unsaved edits included), its edits land in the open document as an undoable
// WorkspaceEdit and are saved to disk, new files are created, and nothing is written outside.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { assistantTurns, byTurn, firstUserText, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { EditorWorkspace, changedRange } from '../../src/vscode/agents/editorWorkspace';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('agents in the editor', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-outside-')));

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
  });

  after(async () => {
    await server?.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it("an agent reads the editor's unsaved text, its Edit shows in the open editor, is saved, and undo reverts it; Write creates a file; a write outside the workspace is refused", async () => {
    const notes = path.join(root, 'notes.txt');
    const created = path.join(root, 'made', 'by-agent.md');
    const escaped = path.join(outside, 'escaped.txt');
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(vscode.Uri.file(notes)),
    );
    // The person's unsaved change: the agent must see it.
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(3, 0), 'typed, not saved\n')));
    assert.ok(editor.document.isDirty);

    server.respond(
      byTurn(
        { toolUses: [{ name: 'Read', input: { file_path: notes } }] },
        {
          toolUses: [
            { name: 'Edit', input: { file_path: notes, old_string: 'beta', new_string: 'BETA (edited by the agent)' } },
          ],
        },
        {
          toolUses: [
            { name: 'Write', input: { file_path: created, content: '# Made by an agent\n' } },
            { name: 'Write', input: { file_path: escaped, content: 'must not exist' } },
          ],
        },
        { text: 'edits done' },
      ),
    );
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('agent-edits.js'),
    );
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.equal(result.result, 'edits done');
    const turns = server.requests.slice(before).map((r) => toolResults(r.body));

    const [read] = turns[1];
    assert.equal(read.is_error, false, read.content);
    assert.match(read.content, /typed, not saved/, 'Read returns what the editor shows');

    const [edit] = turns[2];
    assert.equal(edit.is_error, false, edit.content);
    const expected = 'alpha\nBETA (edited by the agent)\ngamma\ntyped, not saved\n';
    assert.equal(editor.document.getText(), expected, 'the open document shows the edit');
    assert.equal(editor.document.isDirty, false, 'the edit was saved');
    assert.equal(fs.readFileSync(notes, 'utf8'), expected, 'disk holds what the editor shows');

    const [write, refused] = turns[3];
    assert.equal(write.is_error, false, write.content);
    assert.equal(fs.readFileSync(created, 'utf8'), '# Made by an agent\n', 'Write created the file and its folder');
    assert.equal(refused.is_error, true);
    assert.match(refused.content, /outside the workspace/, 'the model is told why');
    assert.ok(!fs.existsSync(escaped), 'nothing was written outside the workspace');

    // Undo in that editor takes back the agent's edit (one step), leaving the person's change.
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the edit undone', () => editor.document.getText() === 'alpha\nbeta\ngamma\ntyped, not saved\n');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('agents creating many new files at once: every Write succeeds, each file holds its text, no document is left dirty', async () => {
    const dir = path.join(root, 'made', 'many');
    server.respond(({ body }) => {
      const i = /create file (\d+)/.exec(firstUserText(body))?.[1];
      if (assistantTurns(body) === 0)
        return {
          toolUses: [
            { name: 'Write', input: { file_path: path.join(dir, `file-${i}.txt`), content: `file ${i}\n`.repeat(50) } },
          ],
        };
      return { text: `wrote ${i}` };
    });
    const before = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('many-writers.js'),
    );
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    const failed = server.requests
      .slice(before)
      .flatMap((r) => toolResults(r.body))
      .filter((t) => t.is_error);
    assert.deepEqual(
      failed.map((t) => t.content),
      [],
      'no Write failed',
    );
    assert.deepEqual(
      result.result,
      Array.from({ length: 24 }, (_, i) => `wrote ${i}`),
    );
    for (let i = 0; i < 24; i++)
      assert.equal(fs.readFileSync(path.join(dir, `file-${i}.txt`), 'utf8'), `file ${i}\n`.repeat(50));
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.fsPath.startsWith(dir));
    assert.deepEqual(
      dirty.map((d) => d.uri.fsPath),
      [],
      'no unsaved documents were left behind',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('EditorWorkspace refuses paths outside the workspace itself, also through a symlink (the backstop behind the path guard)', async () => {
    const ws = new EditorWorkspace([root]);
    await assert.rejects(ws.writeFile(path.join(outside, 'direct.txt'), 'x'), /outside/);
    const link = path.join(root, 'link-out');
    fs.symlinkSync(outside, link);
    try {
      await assert.rejects(ws.writeFile(path.join(link, 'via-link.txt'), 'x'), /outside/);
    } finally {
      fs.unlinkSync(link);
    }
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing landed outside');
    await assert.rejects(ws.writeFile('relative.txt', 'x'), /absolute/);
  });

  it('EditorWorkspace applies concurrent writes to one file one after another, the last one winning', async () => {
    const ws = new EditorWorkspace([root]);
    const file = path.join(root, 'concurrent.txt');
    const contents = Array.from({ length: 8 }, (_, i) => `write ${i}\n`.repeat(i + 1));
    await Promise.all(contents.map((c) => ws.writeFile(file, c)));
    assert.equal(fs.readFileSync(file, 'utf8'), contents[contents.length - 1]);
    assert.equal(await ws.readFile(file), contents[contents.length - 1]);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    assert.ok(doc && !doc.isDirty && doc.getText() === contents[contents.length - 1], 'the document matches the disk');
  });

  it('changedRange replaces whole lines only, and the result is the new text', () => {
    const cases: [string, string][] = [
      ['a\nb\nc\n', 'a\nB\nc\n'],
      ['a\r\nb\r\nc\r\n', 'a\r\nb\r\nx\r\nc\r\n'],
      ['\nX', 'Y'],
      ['same', 'same'],
      ['', 'new\n'],
      ['old\n', ''],
      ['x😀y\n', 'x😁y\n'],
    ];
    for (const [before, after] of cases) {
      const r = changedRange(before, after);
      if (before === after) {
        assert.equal(r, undefined);
        continue;
      }
      assert.ok(r);
      assert.equal(before.slice(0, r.start) + r.text + before.slice(r.end), after, JSON.stringify([before, after]));
      assert.ok(r.start === 0 || before[r.start - 1] === '\n', 'starts at a line start');
      assert.ok(r.end === before.length || before[r.end - 1] === '\n', 'ends at a line start');
    }
    assert.deepEqual(changedRange('a\nb\nc\n', 'a\nB\nc\n'), { start: 2, end: 4, text: 'B\n' });
  });
});
