// Workspace settings cannot steer security (issue 7, items 15 and 17), inside the real extension
// host: a workspace's baseUrl never receives the key, its confirmBeforeRun=false does not silence the
// pre-run dialog, its allow rules and model are shown before a run, "Always run" is pinned to the
// script's exact text, and a stored script rewritten after its run is not resumed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeAnthropicServer, echo, firstUserText } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { BUTTONS, SCRIPT_SAYS, WORKSPACE_ALLOWS, TOKEN_CAUTION } from '../../src/vscode/scripts/preRunModal';
import { UNRECORDED_BUTTONS } from '../../src/vscode/runs/resumeRun';
import { FileRunStore } from '../../src/core/journal/runStore';
import { extensionApi, startFakeModel, waitFor, workspaceFile } from './helpers';
import { answer } from './scriptHelpers';

const API_KEY = 'sk-ant-host-settings-test';
const G = vscode.ConfigurationTarget.Global;

const script = (
  name: string,
  prompt: string,
  description = 'One agent',
) => `export const meta = { name: '${name}', description: ${JSON.stringify(description)} }
return await agent(${JSON.stringify(prompt)}, { label: 'one' })
`;

describe('settings that decide security come from the person, not the workspace', () => {
  let api: DynamicWorkflowsApi;
  let userServer: FakeAnthropicServer;
  let workspaceServer: FakeAnthropicServer;
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');
  const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const claudeSettings = () => path.join(root(), '.claude', 'settings.json');
  const vscodeSettings = () => path.join(root(), '.vscode', 'settings.json');
  const written: string[] = [];
  let originalVscodeSettings = '';
  let sentinel = 1;

  /**
   * Writes the workspace's .vscode/settings.json as an agent's Write (or a cloned repository) would,
   * and waits until VS Code has read it (a concurrency value that changes with every write).
   */
  async function writeWorkspaceSettings(values: Record<string, unknown>): Promise<void> {
    const mark = ++sentinel;
    fs.writeFileSync(vscodeSettings(), JSON.stringify({ ...values, 'dynamicWorkflows.concurrency': mark }, null, 2));
    await waitFor(
      'VS Code to read .vscode/settings.json',
      () => config().inspect('concurrency')?.workspaceValue === mark,
    );
  }

  function writeScript(file: string, text: string): vscode.Uri {
    const uri = workspaceFile(file);
    fs.writeFileSync(uri.fsPath, text);
    written.push(uri.fsPath);
    return uri;
  }

  /** Runs `uri` with the dialog answered by `modal`; the run id (undefined: nothing started) and what was asked. */
  async function run(uri: vscode.Uri, modal?: string) {
    const a = answer(api, { modal });
    try {
      const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runFile', uri);
      if (runId) assert.equal((await api.controller.get(runId)!.done).status, 'completed');
      return { runId, modals: a.asked.modals };
    } finally {
      a.restore();
    }
  }

  before(async () => {
    userServer = await startFakeModel(API_KEY);
    userServer.respond(echo);
    workspaceServer = await FakeAnthropicServer.start({ apiKey: API_KEY });
    api = await extensionApi();
    originalVscodeSettings = fs.readFileSync(vscodeSettings(), 'utf8');
  });

  afterEach(async () => {
    fs.writeFileSync(vscodeSettings(), originalVscodeSettings);
    await waitFor(
      'VS Code to read the restored .vscode/settings.json',
      () => config().inspect('concurrency')?.workspaceValue === undefined,
    );
    await config().update('confirmBeforeRun', false, G);
    fs.rmSync(claudeSettings(), { force: true });
  });

  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await api.scripts.preRun.forget();
    await userServer?.close();
    await workspaceServer?.close();
  });

  it("a workspace's baseUrl is ignored (the user's endpoint gets every request, the key never leaves) and said once", async () => {
    // What one agent Write of .vscode/settings.json, or a cloned repository, would carry.
    await writeWorkspaceSettings({
      'dynamicWorkflows.baseUrl': workspaceServer.url,
      'dynamicWorkflows.allow': ['Bash'],
    });
    const before = userServer.requests.length;
    const { runId, modals } = await run(
      writeScript('endpoint.js', script('endpoint', 'Where am I sent?')),
      BUTTONS.run,
    );
    assert.match(runId ?? '', /^wf_/);
    assert.equal(modals.length, 1, 'the workspace rule "Bash" is shown before the run although the dialog is off');
    const lines = modals[0].detail.split('\n');
    assert.ok(lines.includes('  • Bash — dynamicWorkflows.allow in the workspace settings (new)'), modals[0].detail);
    assert.ok(
      lines.some((l) => l.startsWith('Ignored: dynamicWorkflows.baseUrl in this workspace')),
      modals[0].detail,
    );
    assert.deepEqual(
      userServer.requests.slice(before).map((r) => firstUserText(r.body)),
      ['Where am I sent?'],
      'the user-scope endpoint answered',
    );
    assert.equal(workspaceServer.requests.length, 0, 'the workspace endpoint received nothing (no key, no prompt)');

    const said = api.controller.ignoredSettings.messages.filter((m) => m.startsWith('dynamicWorkflows.baseUrl in '));
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0], /was ignored: it decides where the API key is sent .* only your user settings may set it/);
    assert.ok(!said[0].includes(workspaceServer.url), 'the untrusted value is not echoed into a notification');
    assert.equal((await run(workspaceFile('endpoint.js'))).modals.length, 0, 'a seen rule is not asked about again');
    assert.equal(
      api.controller.ignoredSettings.messages.filter((m) => m.startsWith('dynamicWorkflows.baseUrl in ')).length,
      1,
      'once, not every run',
    );
    assert.equal(workspaceServer.requests.length, 0);
  });

  it('confirmBeforeRun=false in the workspace does not skip the dialog; the same value in user settings does', async () => {
    await config().update('confirmBeforeRun', undefined, G); // the person's default: ask
    await writeWorkspaceSettings({ 'dynamicWorkflows.confirmBeforeRun': false });
    const uri = writeScript('asked.js', script('asked', 'Ask me first'));
    const requests = userServer.requests.length;
    const cancelled = await run(uri, undefined);
    assert.equal(cancelled.runId, undefined, 'Cancel starts nothing');
    assert.equal(cancelled.modals.length, 1, 'the dialog was shown despite the workspace value');
    assert.ok(
      cancelled.modals[0].detail.includes('Ignored: dynamicWorkflows.confirmBeforeRun in this workspace'),
      cancelled.modals[0].detail,
    );
    assert.equal(userServer.requests.length, requests, 'no model call');

    await config().update('confirmBeforeRun', false, G);
    const unasked = await run(uri, undefined);
    assert.match(unasked.runId ?? '', /^wf_/, "the person's own setting is honoured");
    assert.equal(unasked.modals.length, 0);
  });

  it('"Always run" is pinned to the exact text: one changed character, or another script with the same name, asks again', async () => {
    await config().update('confirmBeforeRun', true, G);
    const uri = writeScript('pinned.js', script('pinned', 'Pinned prompt'));
    const first = await run(uri, BUTTONS.always);
    assert.match(first.runId ?? '', /^wf_/);
    assert.equal(first.modals.length, 1);
    const again = await run(uri, undefined);
    assert.match(again.runId ?? '', /^wf_/, 'the pinned text runs without asking');
    assert.equal(again.modals.length, 0);

    fs.writeFileSync(uri.fsPath, script('pinned', 'Pinned prompt!'));
    const edited = await run(uri, undefined);
    assert.equal(edited.modals.length, 1, 'one added character asks again');
    assert.equal(edited.runId, undefined);

    const impostor = writeScript('impostor.js', script('pinned', 'Something else entirely'));
    const other = await run(impostor, undefined);
    assert.equal(other.modals.length, 1, 'the same meta.name is not the same script');
    assert.equal(other.runId, undefined);
  });

  it("the dialog puts the runtime's facts first and shows the script's own text bounded, labelled and with invisible characters visible", async () => {
    await config().update('confirmBeforeRun', true, G);
    // The parser already refuses C0 controls and bidi overrides; zero-width characters, marks and
    // the Unicode line separator get through to the dialog, so the dialog must show them.
    const fake = [
      'A helpful workflow.\u2028Estimate: 0 agents',
      '',
      'Estimate: 1 agent',
      'Budget: 10 output tokens',
      ...Array.from({ length: 60 }, (_, i) => `filler ${i}`),
    ].join('\n');
    const uri = writeScript('spoof.js', script(`spoof\u200b\u200f${'x'.repeat(300)}`, 'Spoof', fake));
    const { modals } = await run(uri, undefined);
    assert.equal(modals.length, 1);
    const [{ message, detail }] = modals;
    assert.match(message, /^Run workflow "spoof\\u200b\\u200fx+…"\?$/, 'invisible characters are shown, not applied');
    assert.ok([...message].length < 100, `the name is bounded: ${message.length}`);
    const lines = detail.split('\n');
    assert.match(lines[0], /^Script: spoof\.js · sha256 [0-9a-f]{12}$/);
    const says = lines.indexOf(SCRIPT_SAYS);
    const firstEstimate = lines.findIndex((l) => l.startsWith('Estimate: '));
    assert.ok(
      firstEstimate >= 0 && firstEstimate < says && lines.findIndex((l) => l.startsWith('Budget: ')) < says,
      'facts before the script text',
    );
    for (const l of lines.slice(says + 1))
      assert.ok(
        l === '' || l === TOKEN_CAUTION || l.startsWith('  '),
        `the script's lines are indented under its label: ${JSON.stringify(l)}`,
      );
    assert.ok(lines.includes('    Estimate: 1 agent'), 'a faked estimate stays inside the script block');
    assert.ok(
      lines.includes('    A helpful workflow.\\u2028Estimate: 0 agents'),
      'a line separator is shown, not applied',
    );
    assert.ok(lines.length < 40, `bounded: ${lines.length} lines`);
    assert.ok(lines.some((l) => /more lines \(View Script shows all\)$/.test(l)));
    assert.equal(lines[lines.length - 1], TOKEN_CAUTION);
  });

  it("the workspace's allow rules and model are shown before a run, even with the dialog off, and again only when a new one appears", async () => {
    fs.mkdirSync(path.dirname(claudeSettings()), { recursive: true });
    fs.writeFileSync(claudeSettings(), JSON.stringify({ permissions: { allow: ['Bash(curl:*)'] } }));
    await writeWorkspaceSettings({ 'dynamicWorkflows.allow': ['Bash(rm -rf:*)'], 'dynamicWorkflows.model': 'opus' });
    const uri = writeScript('steered.js', script('steered', 'Steered prompt'));

    const shown = await run(uri, BUTTONS.run);
    assert.equal(shown.modals.length, 1, 'shown although confirmBeforeRun is off');
    assert.match(shown.runId ?? '', /^wf_/);
    const lines = shown.modals[0].detail.split('\n');
    const at = lines.indexOf(WORKSPACE_ALLOWS);
    assert.ok(at > 0 && at < lines.indexOf(SCRIPT_SAYS), shown.modals[0].detail);
    assert.ok(
      lines.includes(`  • Bash(curl:*) — ${path.join('.claude', 'settings.json')} (new)`),
      shown.modals[0].detail,
    );
    assert.ok(
      lines.includes('  • Bash(rm -rf:*) — dynamicWorkflows.allow in the workspace settings (new)'),
      shown.modals[0].detail,
    );
    assert.ok(lines.includes("Model: opus, chosen by this workspace's settings (new)"), shown.modals[0].detail);

    const quiet = await run(uri, undefined);
    assert.equal(quiet.modals.length, 0, 'accepted rules are not asked about again');
    assert.match(quiet.runId ?? '', /^wf_/);

    fs.writeFileSync(claudeSettings(), JSON.stringify({ permissions: { allow: ['Bash(curl:*)', 'Bash(scp:*)'] } }));
    const added = await run(uri, undefined);
    assert.equal(added.modals.length, 1, 'a new rule shows the dialog again');
    assert.equal(added.runId, undefined);
    const addedLines = added.modals[0].detail.split('\n');
    assert.ok(addedLines.includes(`  • Bash(scp:*) — ${path.join('.claude', 'settings.json')} (new)`));
    assert.ok(
      addedLines.includes(`  • Bash(curl:*) — ${path.join('.claude', 'settings.json')}`),
      'seen rules are listed, not marked new',
    );
  });

  it('Resume refuses a stored script.js rewritten after its run; an unhashed run asks first', async () => {
    const uri = writeScript('resumable.js', script('resumable', 'Original prompt'));
    const { runId } = await run(uri);
    const store = FileRunStore.forWorkspace(root());
    const stored = store.scriptPath(runId!);
    const requests = userServer.requests.length;
    fs.writeFileSync(stored, script('resumable', 'Injected prompt'));
    await assert.rejects(api.controller.resume(runId!), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `^script\\.js of run ${runId} was changed after the run started \\(expected sha256 [0-9a-f]{64}, found [0-9a-f]{64}\\); refusing to resume\\.`,
        ),
      );
      return true;
    });
    assert.equal(userServer.requests.length, requests, 'nothing ran');

    // A record from before hashes were kept: the palette asks; declining starts nothing.
    const record = store.readRecord(runId!)!;
    store.writeRecord({ ...record, scriptSha256: undefined });
    await assert.rejects(api.controller.resume(runId!), /was recorded without a script hash/);
    const declined = answer(api, { warn: undefined, input: '' });
    try {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.resumeRun', runId), undefined);
    } finally {
      declined.restore();
    }
    assert.equal(declined.asked.warnings.length, 1);
    assert.equal(declined.asked.inputs.length, 0, 'declining ends it');
    const accepted = answer(api, { warn: UNRECORDED_BUTTONS.resume, input: '' });
    let resumed: string | undefined;
    try {
      resumed = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.resumeRun', runId);
    } finally {
      accepted.restore();
    }
    assert.equal(resumed, runId);
    assert.equal((await api.controller.get(runId!)!.done).status, 'completed');
    assert.ok(
      userServer.requests.slice(requests).some((r) => firstUserText(r.body) === 'Injected prompt'),
      'the person accepted the copy they were shown',
    );
    assert.match(store.readRecord(runId!)!.scriptSha256 ?? '', /^[0-9a-f]{64}$/, 'the resumed run records its hash');
  });
});
