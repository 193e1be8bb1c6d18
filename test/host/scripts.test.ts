// Workflow scripts in the editor, inside the real extension host: CodeLens (▶ Run, ↻ Resume last
// run, Save; counts on each agent/parallel/pipeline call, live and after the run), diagnostics while
// typing, and saving to the project and personal folders (overwrite asked, symlinks refused).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { MESSAGES } from '../../src/core/errors';
import type { SaveOutcome } from '../../src/vscode/scripts/saveAsWorkflow';
import { Hold, extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-test';

/** Our lenses on a document: `line:title`, in order. */
async function lenses(uri: vscode.Uri): Promise<{ line: number; title: string; command: vscode.Command }[]> {
  const all =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return all
    .filter((l) => l.command && (l.command.command.startsWith('dynamicWorkflows.') || l.command.command === ''))
    .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command! }))
    .sort((a, b) => a.line - b.line);
}

describe('workflow scripts in the editor', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];
  const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const projectDir = () => path.join(root(), '.claude', 'workflows');

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await server?.close();
  });

  it('CodeLens: Run and Save on a workflow script, nothing on another .js', async () => {
    const uri = workspaceFile('sites.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const top = await lenses(uri);
    assert.deepEqual(
      top.map((l) => `${l.line}:${l.title}`),
      ['0:▶ Run', '0:Save to .claude/workflows'],
      'no resume before a run',
    );
    assert.equal(top[0].command.command, 'dynamicWorkflows.runFile');
    assert.equal((top[0].command.arguments?.[0] as vscode.Uri).fsPath, uri.fsPath);

    const plain = workspaceFile('plain.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plain));
    assert.deepEqual(await lenses(plain), [], 'meta that is not the first statement is no workflow script');
  });

  it('after ▶ Run each agent/parallel/pipeline call shows its counts, live and at the end; ↻ Resume last run appears', async () => {
    const hold = new Hold();
    holds.push(hold);
    server.respond(byPrompt([[/^Site fan/, async (req) => (await hold.wait(), echo(req))]]));
    const uri = workspaceFile('sites.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const run = (await lenses(uri)).find((l) => l.title === '▶ Run')!;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      run.command.command,
      ...(run.command.arguments ?? []),
    );
    assert.match(runId ?? '', /^wf_/);

    // Live: the fan-out's three agents are running, the first agent is done.
    const live = await waitFor('running counts on the parallel line', async () => {
      const l = await lenses(uri);
      return l.some((x) => x.line === 6 && x.title.startsWith('parallel: $(sync~spin) 0 of ≥3 done · 3 running')) && l;
    });
    assert.ok(
      live.some((x) => x.title === '■ Stop run'),
      'a live run can be stopped from the lens',
    );
    assert.match(live.find((x) => x.line === 5)!.title, /^\$\(check\) 1 of ≥1 done · \d[\d.k]* tok( · \$[\d.]+)?$/);

    hold.release();
    assert.equal((await api.controller.get(runId!)!.done).status, 'completed');
    const done = await waitFor('final counts', async () => {
      const l = await lenses(uri);
      return l.some((x) => x.line === 7 && x.title.startsWith('pipeline: $(check) 2/2 done')) && l;
    });
    const titles = done.map((l) => `${l.line}:${l.title.replace(/ · \d[\d.k]* tok( · \$[\d.]+)?$/, ' · N tok')}`);
    assert.deepEqual(titles, [
      '0:▶ Run',
      '0:↻ Resume last run',
      '0:Save to .claude/workflows',
      '5:$(check) 1/1 done · N tok',
      '6:parallel: $(check) 3/3 done · N tok',
      '6:agent: $(check) 3/3 done · N tok',
      '7:pipeline: $(check) 2/2 done · N tok',
      '7:agent: $(check) 2/2 done · N tok',
    ]);
    const resume = done.find((l) => l.title === '↻ Resume last run')!;
    assert.equal(resume.command.command, 'dynamicWorkflows.resumeLastRun');

    // Resume from the lens: everything is journaled, so nothing reaches the model.
    const requests = server.requests.length;
    const resumed = await vscode.commands.executeCommand<string | undefined>(
      resume.command.command,
      ...(resume.command.arguments ?? []),
    );
    assert.equal(resumed, runId);
    const again = await api.controller.get(runId!)!.done;
    assert.equal(again.status, 'completed');
    assert.equal(again.agents.cached, 6);
    assert.equal(server.requests.length, requests);
  });

  it('diagnostics: a meta rule and an import appear at their line while typing, and vanish when fixed; TypeScript syntax is left to TypeScript', async () => {
    const uri = workspaceFile('diag.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'workflow');
    const typeText = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    const expect = (what: string, line: number, col: number, message: RegExp | string) =>
      waitFor(what, () => {
        const [d] = ours();
        if (!d || d.range.start.line !== line) return false;
        assert.equal(d.range.start.character, col, `${what}: column`);
        if (typeof message === 'string') assert.equal(d.message, message);
        else assert.match(d.message, message);
        assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
        return d;
      });
    try {
      await waitFor('a clean script has no problems', () => ours().length === 0 || undefined);

      // Plain syntax is TypeScript's to mark in a .js file; ours would be a second, identical marker.
      await typeText(original.replace('const answer =', 'const answer: string ='));
      await waitFor(
        'TypeScript marking the type annotation',
        () =>
          vscode.languages.getDiagnostics(uri).some((d) => d.source === 'ts' && d.range.start.line === 6) || undefined,
        60_000,
      );
      api.scripts.diagnostics.check(doc);
      assert.deepEqual(ours(), [], 'no second marker for the syntax error');

      await typeText(original.replace("description: 'Edited by the diagnostics test'", "description: ''"));
      const meta = await expect('the empty description', 2, 2, MESSAGES.metaField('description'));
      assert.equal(doc.getText(meta.range), 'description');

      await typeText(original + "import helper from './helper.js'\n");
      await expect('the import', 8, 0, MESSAGES.staticImport);

      await typeText(original);
      await waitFor('the problems gone', () => ours().length === 0 || undefined);
    } finally {
      await typeText(original);
      await doc.save();
    }
    const plain = workspaceFile('plain.js');
    await vscode.workspace.openTextDocument(plain);
    assert.deepEqual(
      vscode.languages.getDiagnostics(plain).filter((d) => d.source === 'workflow'),
      [],
      'other .js files are not checked',
    );
  });

  describe('saving', () => {
    let personalConfig: string;
    const created: string[] = [];

    before(() => {
      personalConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-personal-'));
      process.env.CLAUDE_CONFIG_DIR = personalConfig;
    });

    after(() => {
      delete process.env.CLAUDE_CONFIG_DIR;
      for (const f of created) fs.rmSync(f, { force: true });
      fs.rmSync(personalConfig, { recursive: true, force: true });
    });

    const save = async (command: string, arg: unknown, answers: Parameters<typeof answer>[1]) => {
      const a = answer(api, answers);
      try {
        return { outcome: await vscode.commands.executeCommand<SaveOutcome>(command, arg), asked: a.asked };
      } finally {
        a.restore();
      }
    };
    const scope = (label: string) => (items: readonly vscode.QuickPickItem[]) =>
      items.find((i) => i.label.endsWith(label));

    it('the lens saves the script to the project folder, and asks before overwriting it', async () => {
      const uri = workspaceFile('sites.js');
      const source = fs.readFileSync(uri.fsPath, 'utf8');
      const target = path.join(projectDir(), 'sites-copy.js');
      created.push(target);

      const first = await save('dynamicWorkflows.saveScript', uri, { pick: scope('Project'), input: 'sites-copy' });
      assert.deepEqual(first.outcome, { path: target });
      assert.equal(fs.readFileSync(target, 'utf8'), source);
      const [where] = first.asked.picks;
      assert.deepEqual(
        where.items.map((i) => `${i.label} ${i.description}`),
        [`$(folder) Project ${projectDir()}`, `$(account) Personal ${path.join(personalConfig, 'workflows')}`],
      );
      assert.equal(first.asked.inputs[0].options.value, 'sites', 'the name defaults to meta.name');

      fs.writeFileSync(target, '// edited by hand\n');
      const declined = await save('dynamicWorkflows.saveScript', uri, {
        pick: scope('Project'),
        input: 'sites-copy',
        warn: undefined,
      });
      assert.equal(declined.outcome, undefined);
      assert.deepEqual(declined.asked.warnings, [
        { message: 'sites-copy.js already exists. Overwrite it?', detail: target, buttons: ['Overwrite'] },
      ]);
      assert.equal(fs.readFileSync(target, 'utf8'), '// edited by hand\n', 'declining keeps the file');

      const replaced = await save('dynamicWorkflows.saveScript', uri, {
        pick: scope('Project'),
        input: 'sites-copy',
        warn: 'Overwrite',
      });
      assert.deepEqual(replaced.outcome, { path: target });
      assert.equal(fs.readFileSync(target, 'utf8'), source);
    });

    it('Save Run as Workflow… saves a run’s script to the personal folder (CLAUDE_CONFIG_DIR)', async () => {
      const session = api.controller.list().find((s) => s.name === 'sites');
      assert.ok(session, 'the sites run from the CodeLens test');
      const { outcome, asked } = await save('dynamicWorkflows.saveRun', undefined, {
        pick: (items) =>
          items.find((i) => (i as { runId?: string }).runId === session.runId) ?? scope('Personal')(items),
        input: (o) => o.value,
      });
      const target = path.join(personalConfig, 'workflows', 'sites.js');
      assert.deepEqual(outcome, { path: target });
      assert.equal(asked.picks.length, 2, 'the run, then the folder');
      assert.equal(fs.readFileSync(target, 'utf8'), session.script.source);
    });

    it('refuses to save through a symlink, with the registry’s message', async () => {
      const outside = path.join(personalConfig, 'outside.js');
      fs.writeFileSync(outside, '// not to be replaced\n');
      const link = path.join(projectDir(), 'linked.js');
      created.push(link);
      fs.symlinkSync(outside, link);
      const { outcome, asked } = await save('dynamicWorkflows.saveScript', workspaceFile('sites.js'), {
        pick: scope('Project'),
        input: 'linked',
        warn: 'Overwrite',
      });
      assert.deepEqual(outcome, { error: MESSAGES.saveSymlink(link) });
      assert.equal(asked.warnings.length, 0, 'no overwrite question for a symlink');
      assert.equal(fs.readFileSync(outside, 'utf8'), '// not to be replaced\n');
    });
  });
});
