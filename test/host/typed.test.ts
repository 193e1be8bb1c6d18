// Authoring help through VS Code's own language features: the TypeScript server plugin types the
// workflow globals in a workflow script (hover docs, option-value completions, typed schema
// results, no unknown names under checkJs) and leaves every other .js file as it was. The built-in
// TypeScript extension starts its server on demand: each check polls, bounded, until it answers.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceFile } from './helpers';

/** Markdown and plain strings of every hover at `position`, joined. */
async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
  );
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

function positionOf(doc: vscode.TextDocument, text: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `${text} is in ${doc.uri.fsPath}`);
  return doc.positionAt(at + delta);
}

const TS_SERVER_MS = 120_000;

describe('authoring help in workflow scripts (TypeScript plugin)', () => {
  let script: vscode.TextDocument;
  let helper: vscode.TextDocument;

  before(async () => {
    script = await vscode.workspace.openTextDocument(workspaceFile('typed/review.js'));
    helper = await vscode.workspace.openTextDocument(workspaceFile('typed/helper.js'));
    // Not previews: a preview tab would be replaced, closing its document in the TypeScript server.
    await vscode.window.showTextDocument(helper, { preview: false });
    await vscode.window.showTextDocument(script, { preview: false });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hover on agent shows its documentation', async function () {
    this.timeout(TS_SERVER_MS + 10_000);
    const at = positionOf(script, "agent('Count", 1);
    const text = await waitFor(
      'a hover with the agent() docs',
      async () => {
        const t = await hoverAt(script.uri, at);
        return t.includes('Starts one subagent') && t;
      },
      TS_SERVER_MS,
    );
    // The declaration as written in the API, not as an imported alias (the plugin's appended import).
    assert.match(text, /\bagent</);
    assert.doesNotMatch(text, /\(alias\)|import agent/);
  });

  it('a variable bound to await agent(p, { schema }) hovers as the typed object', async () => {
    const text = await waitFor(
      'a hover with the typed result',
      async () => {
        const t = await hoverAt(script.uri, positionOf(script, 'verdict', 1));
        return /n: number/.test(t) && t;
      },
      TS_SERVER_MS,
    );
    assert.match(text, /const verdict: \{\s*n: number;\s*\} \| null/);
  });

  it("completes model aliases inside { model: '' } and .claude/agents names inside agentType", async () => {
    const models = await waitFor(
      'model completions',
      async () => {
        const labels = await completionLabels(script.uri, positionOf(script, "model: '", 8));
        return labels.includes('sonnet') && labels;
      },
      TS_SERVER_MS,
    );
    for (const alias of ['opus', 'sonnet', 'haiku'])
      assert.ok(models.includes(alias), `${alias} among ${models.join(', ')}`);
    const agents = await waitFor(
      'agentType completions',
      async () => {
        const labels = await completionLabels(script.uri, positionOf(script, "agentType: '", 12));
        return labels.includes('security-reviewer') && labels;
      },
      TS_SERVER_MS,
    );
    for (const name of ['general-purpose', 'Explore', 'Plan'])
      assert.ok(agents.includes(name), `${name} among ${agents.join(', ')}`);
  });

  it('under checkJs the workflow script has no "Cannot find name \'agent\'"; a plain .js file still has it', async () => {
    const unknownAgent = (uri: vscode.Uri): vscode.Diagnostic[] =>
      vscode.languages.getDiagnostics(uri).filter((d) => /Cannot find name 'agent'/.test(d.message));
    await waitFor('the unknown-name error in helper.js', () => unknownAgent(helper.uri).length > 0, TS_SERVER_MS);
    // review.js has one deliberate error: once it is reported, the checker has been over the file.
    const errors = await waitFor(
      'the deliberate error in review.js',
      () => {
        const found = vscode.languages
          .getDiagnostics(script.uri)
          .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
        return found.some((d) => /Expected 0 arguments/.test(d.message)) && found;
      },
      TS_SERVER_MS,
    );
    assert.deepEqual(unknownAgent(script.uri), []);
    // Top-level return and await are the dialect's: no error for them either.
    assert.deepEqual(
      errors.map((d) => d.message),
      ['Expected 0 arguments, but got 1.'],
    );
  });
});
