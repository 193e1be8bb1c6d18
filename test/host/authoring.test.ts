// Live checks beyond syntax (issue 12 item 2), in the real extension host: the mistakes a run would
// only hit when it got there appear in the Problems panel while the script is typed, with the
// runtime's message at the offending expression, go when fixed, and come with quick fixes —
// creating the missing agent file among them. A .js file that is no workflow script gets none.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MESSAGES } from '../../src/core/errors';
import { extensionApi, waitFor, workspaceFile } from './helpers';

const LIVE_CODES = new Set([
  'unknownAgentType',
  'badOptionValue',
  'undefinedOptionValue',
  'nonDeterministic',
  'workflowNotFound',
  'workflowRef',
]);
const BUILT_IN_TYPES = ['general-purpose', 'Explore', 'Plan'];
const META = "export const meta = { name: 'live-checks', description: 'Live checks host test' }\n";

function live(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => typeof d.code === 'string' && LIVE_CODES.has(d.code));
}

describe('live checks', () => {
  const script = workspaceFile('live-checks.js');
  const plain = workspaceFile('live-plain.js');
  const agentFile = workspaceFile('.claude/agents/security-auditor.md');
  let doc: vscode.TextDocument;
  let personalConfig: string;
  let savedConfigDir: string | undefined;

  /** Replaces the script's whole text, as typing would. */
  async function type(text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(script, new vscode.Range(0, 0, doc.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }

  /** Waits until the live diagnostics are exactly these messages (in order) and returns them. */
  function expectMessages(what: string, messages: string[]): Promise<vscode.Diagnostic[]> {
    return waitFor(what, () => {
      const found = live(script);
      return JSON.stringify(found.map((d) => d.message)) === JSON.stringify(messages) && found;
    });
  }

  async function quickFixes(d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      script,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    return actions ?? [];
  }

  before(async () => {
    await extensionApi();
    // A personal folder of our own: the agent types and saved workflows a run would see are known.
    savedConfigDir = process.env.CLAUDE_CONFIG_DIR;
    personalConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-live-'));
    process.env.CLAUDE_CONFIG_DIR = personalConfig;
    fs.writeFileSync(script.fsPath, `${META}return 1\n`);
    fs.writeFileSync(plain.fsPath, 'const stamp = Date.now()\nexport default stamp\n');
    doc = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (savedConfigDir === undefined) delete process.env.CLAUDE_CONFIG_DIR;
    else process.env.CLAUDE_CONFIG_DIR = savedConfigDir;
    for (const f of [script, plain, agentFile]) fs.rmSync(f.fsPath, { force: true });
    fs.rmSync(personalConfig, { recursive: true, force: true });
  });

  it('marks Date.now(), Math.random() and new Date() with the runtime messages, and clears them when fixed', async () => {
    await type(
      `${META}const t = Date.now()\nconst r = Math.random()\nconst d = new Date()\nreturn [t, r, d, new Date(0)]\n`,
    );
    const found = await expectMessages('the three determinism problems', [
      MESSAGES.dateNow,
      MESSAGES.mathRandom,
      MESSAGES.dateNow,
    ]);
    assert.deepEqual(
      found.map((d) => doc.getText(d.range)),
      ['Date.now()', 'Math.random()', 'new Date()'],
    );
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.range.start.character, d.severity]),
      [
        [1, 10, vscode.DiagnosticSeverity.Error],
        [2, 10, vscode.DiagnosticSeverity.Error],
        [3, 10, vscode.DiagnosticSeverity.Error],
      ],
    );
    await type(`${META}const Date = { now: () => 1 }\nreturn [Date.now(), args.seed]\n`);
    await expectMessages('none once the script uses its own Date', []);
  });

  it('an unknown agentType: the runtime message on the literal; the quick fix creates the agent file, and the problem goes', async () => {
    await type(`${META}return await agent('Audit the code', { agentType: 'security-auditor' })\n`);
    const [d] = await expectMessages('the unknown agent type', [
      MESSAGES.unknownAgentType('security-auditor', BUILT_IN_TYPES),
    ]);
    assert.equal(doc.getText(d.range), "'security-auditor'");
    const actions = await quickFixes(d);
    const create = actions.find((a) => a.title === 'Create .claude/agents/security-auditor.md');
    assert.ok(create?.command, `offered: ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));

    const text = fs.readFileSync(agentFile.fsPath, 'utf8');
    assert.match(text, /^---\nname: security-auditor\ndescription: .+\n---\n/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, agentFile.fsPath, 'the new file is open');
    await expectMessages('no problem once the agent file exists', []);

    // Undo takes the file back, and the problem returns.
    await vscode.commands.executeCommand('undo');
    await waitFor('the agent file undone', () => !fs.existsSync(agentFile.fsPath));
    const again = await waitFor('the problem back', () => live(script).length === 1 && live(script));
    assert.equal(again[0].message, MESSAGES.unknownAgentType('security-auditor', BUILT_IN_TYPES));
  });

  it('a bad effort value: the runtime message, and "Replace with" fixes it', async () => {
    await vscode.window.showTextDocument(doc);
    await type(`${META}return await agent('Think', { effort: 'hihg', label: 42 })\n`);
    const found = await expectMessages('the two bad option values', [
      'agent() option \'effort\' must be one of low, medium, high, xhigh, max; got "hihg"',
      "agent() option 'label' must be a string, got number",
    ]);
    const replace = (await quickFixes(found[0])).find((a) => a.title === "Replace with 'high'");
    assert.ok(replace?.edit);
    assert.ok(await vscode.workspace.applyEdit(replace.edit));
    const quote = (await quickFixes(found[1])).find((a) => a.title === 'Quote the value');
    assert.ok(quote?.edit);
    assert.ok(await vscode.workspace.applyEdit(quote.edit));
    assert.match(doc.getText(), /\{ effort: 'high', label: '42' \}/);
    await expectMessages('none once both are fixed', []);
  });

  it('a bare word never declared gets the ReferenceError and a "Quote the value" fix', async () => {
    await type(`${META}return await agent('Think', { effort: low })\n`);
    const [d] = await expectMessages('the undeclared word', ["'low' is not defined"]);
    assert.equal(doc.getText(d.range), 'low');
    const quote = (await quickFixes(d)).find((a) => a.title === 'Quote the value');
    assert.ok(quote?.edit);
    assert.ok(await vscode.workspace.applyEdit(quote.edit));
    await expectMessages('none once quoted', []);
  });

  it("workflow('name') that resolves to nothing gets the runtime message; a saved name is fine", async () => {
    await type(`${META}return await workflow('gret', 'Ada')\n`);
    const [d] = await waitFor('the unknown workflow', () => {
      const found = live(script);
      return found.length === 1 && found[0].code === 'workflowNotFound' && found;
    });
    assert.match(d.message, /^workflow\('gret'\): no workflow with that name\. Available: .*\bgreet\b/);
    assert.equal(doc.getText(d.range), "'gret'");
    await type(`${META}return await workflow('greet', 'Ada')\n`);
    await expectMessages('none for a saved workflow', []);
  });

  it('a .js file that is no workflow script gets no live checks', async () => {
    const plainDoc = await vscode.workspace.openTextDocument(plain);
    await vscode.window.showTextDocument(plainDoc);
    // Both documents are checked after the same delay: once the script's problem shows, the plain file's check ran too.
    await type(`${META}return Date.now()\n`);
    await expectMessages('the script checked', [MESSAGES.dateNow]);
    assert.deepEqual(live(plain), []);
  });
});
