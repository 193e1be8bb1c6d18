// Untrusted text in the real extension host: a script whose name, phase and agent label carry
// Markdown links, `command:` URIs, codicons and bidi overrides, and a model that asks to run a
// two-line command hiding a link, then answers with Markdown links and images. Every surface —
// the approval notification and its modal, the pending-approvals pick, the Runs tree's labels and
// tooltips, the transcript and run documents — shows the text with nothing clickable and nothing hidden.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byTurn, toolResults } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

/** The syntax VS Code's notifications turn into clickable links (the workbench's linkedText). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
/** Characters that act on or hide from the reader (newline aside). */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
/** Markdown that would be live outside code: links, images, HTML, autolinks, `command:` URIs. */
const LIVE_MARKUP = /(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<[a-z/]|(?<!\\)command:|(?<!\\)https?:/i;
/** Markdown text with fenced blocks and code spans taken out: what is left is what renders as Markdown. */
const live = (md: string) =>
  md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');

const LABEL = '[Allow](command:dynamicWorkflows.runCurrentScript) $(zap) \u202Egnp.exe';
const COMMAND =
  'git status "[--short](https://x/"$(touch${IFS}render-pwned)\nrm -rf render-important # \u202Etxt.exe $(zap)';
const MODEL_TEXT =
  'Done. [click me](command:workbench.action.reloadWindow) ![t](https://evil.example/t.png) <img src=https://evil.example/i.png>';

const SCRIPT = `export const meta = {
  name: 'render [docs](command:workbench.action.reloadWindow)',
  description: 'Hostile ![x](https://evil.example/p.png) <b>bold</b>',
  phases: [{ title: 'Phase $(zap) \\u202Eevil' }],
}
phase('Phase $(zap) \\u202Eevil')
return await agent('Hostile shell', { label: ${JSON.stringify(LABEL).replace(/\u202E/g, '\\u202E')} })
`;

describe('untrusted text renders inert', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  let root: string;
  let runId: string;

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0].uri.fsPath);
    fs.writeFileSync(path.join(root, 'render-hostile.js'), SCRIPT);
    fs.writeFileSync(path.join(root, 'render-important'), 'keep me');
    server.respond(byTurn({ toolUses: [{ name: 'Bash', input: { command: COMMAND } }] }, { text: MODEL_TEXT }));
    runId = (await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('render-hostile.js'),
    ))!;
    assert.match(runId ?? '', /^wf_/);
  });

  after(async () => {
    for (const p of api?.approvals.list() ?? []) api.approvals.answer(p.id, 'deny');
    await server?.close();
  });

  it('the approval notification carries no link and not the command; the modal shows the whole command, escaped', async () => {
    const [p] = await waitFor('the approval question', () => {
      const list = api.approvals.list().filter((q) => q.runId === runId);
      return list.length === 1 && list;
    });
    assert.equal(p.command, COMMAND, 'the question is about exactly this text');
    assert.equal(p.agentLabel, LABEL);

    assert.ok(!NOTIFICATION_LINK.test(p.message), `no clickable link: ${p.message}`);
    assert.ok(!RAW.test(p.message), JSON.stringify(p.message));
    assert.ok(
      !p.message.includes('--short') && !p.message.includes('rm -rf'),
      'no part of the command that could read as all of it',
    );
    assert.match(p.message, /\(2 lines, \d+ characters\)/);
    assert.ok(
      p.message.includes('[Allow]\\(command:dynamicWorkflows.runCurrentScript) $(zap) \\u202egnp.exe'),
      p.message,
    );
    assert.ok(p.message.includes('render [docs]\\(command:workbench.action.reloadWindow)'), p.message);
    assert.deepEqual(p.buttons, ['Show Command…', 'Deny'], 'nothing to allow before the command is read whole');

    const { detail, buttons, title } = p.review;
    assert.ok(!RAW.test(detail) && !RAW.test(title), JSON.stringify(detail));
    assert.ok(
      detail.startsWith(
        '1│ git status "[--short](https://x/"$(touch${IFS}render-pwned)\n2│ rm -rf render-important # \\u202etxt.exe $(zap)\n',
      ),
      detail,
    );
    assert.match(detail, /⚠ 1 invisible or control character is shown as/);
    // The command holds a substitution, so no exact rule can say "just this": "always" is not
    // offered; it deletes files, so Deny is the first (default) button.
    assert.deepEqual(buttons, ['Deny', 'Allow once']);
    assert.match(detail, /⚠ Destructive: /);

    const [row] = api.approvals.pickItems().filter((i) => i.id === p.id);
    for (const text of [row.label, row.description ?? '']) {
      assert.ok(!/(?<!\\)\$\(/.test(text), `no live codicon in ${text}`);
      assert.ok(!RAW.test(text), JSON.stringify(text));
    }
    assert.ok(row.label.includes('$(touch${IFS}render-pwned)⏎rm -rf'), row.label);

    assert.equal(api.approvals.answer(p.id, 'deny'), 'answered');
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.ok(
      !fs.existsSync(path.join(root, 'render-pwned')) && fs.existsSync(path.join(root, 'render-important')),
      'nothing ran',
    );
    const denied = server.requests.flatMap((r) => toolResults(r.body)).find((t) => t.is_error);
    assert.ok(denied, 'the model was told the command was refused');
  });

  it('the Runs tree: labels show the bidi override as an escape; tooltips are untrusted Markdown with nothing live', async () => {
    const rootEl = api.runsTree.runElement(runId);
    const all: RunsElement[] = [];
    const walk = async (el: RunsElement) => {
      all.push(el);
      for (const c of (await api.runsTree.getChildren(el)) ?? []) await walk(c);
    };
    await walk(rootEl);
    const items = await Promise.all(all.map(async (el) => ({ el, item: await api.runsTree.getTreeItem(el) })));
    const labelOf = (i: vscode.TreeItem) => (typeof i.label === 'string' ? i.label : (i.label?.label ?? ''));
    for (const { item } of items)
      assert.ok(!RAW.test(labelOf(item)) && !RAW.test(String(item.description ?? '')), labelOf(item));
    const agent = items.find(({ item }) => labelOf(item).startsWith('[Allow]'));
    assert.ok(agent, items.map(({ item }) => labelOf(item)).join(' | '));
    assert.equal(labelOf(agent.item), '[Allow](command:dynamicWorkflows.runCurrentScript) $(zap) \\u202egnp.exe');
    assert.ok(
      items.some(({ item }) => labelOf(item) === 'Phase $(zap) \\u202eevil'),
      'the phase title, bidi escaped',
    );

    for (const el of [rootEl, agent.el]) {
      const tip = (await api.runsTree.resolveTreeItem(await api.runsTree.getTreeItem(el), el))
        .tooltip as vscode.MarkdownString;
      assert.ok(tip instanceof Object && typeof tip.value === 'string', 'a Markdown tooltip');
      assert.ok(!tip.isTrusted, 'command links stay disabled');
      assert.ok(!tip.supportHtml, 'no HTML');
      assert.ok(!tip.supportThemeIcons, 'no codicons');
      assert.ok(!LIVE_MARKUP.test(live(tip.value)), live(tip.value));
      assert.ok(!RAW.test(tip.value), JSON.stringify(tip.value));
    }
  });

  it('the transcript and run documents fence the model text and escape names, so nothing is a link', async () => {
    const agentEl = (await waitFor('the agent element', async () => {
      const phases = (await api.runsTree.getChildren(api.runsTree.runElement(runId))) ?? [];
      for (const ph of phases)
        for (const a of (await api.runsTree.getChildren(ph)) ?? []) if (api.runsTree.agent(a)) return a;
      return undefined;
    }))!;
    const transcriptUri = await vscode.commands.executeCommand<string>('dynamicWorkflows.openTranscript', agentEl);
    const transcript = vscode.workspace.textDocuments.find((d) => d.uri.toString() === transcriptUri)!;
    assert.ok(transcript, 'the transcript is open');
    const text = transcript.getText();
    assert.ok(
      text.includes('```\n' + MODEL_TEXT + '\n```'),
      `the model text is in a fence, exactly: ${text.slice(-1500)}`,
    );
    assert.ok(
      text.includes('```sh\n' + COMMAND.replace('\u202E', '\\u202e') + '\n```'),
      'the command, fenced, bidi escaped',
    );
    assert.ok(!LIVE_MARKUP.test(live(text)), live(text));
    assert.ok(!RAW.test(text.replace(/\n/g, '')), 'no raw control or bidi character');
    // The editor's own links: none of them may be a command: URI.
    const links =
      (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', transcript.uri)) ?? [];
    assert.ok(!links.some((l) => l.target?.scheme === 'command'), links.map((l) => l.target?.toString()).join(', '));
    // The rendered page: the model's link and images are text, and nothing is a link at all.
    const page = api.documentView.current!.html;
    assert.equal(api.documentView.current!.uri, transcriptUri);
    assert.ok(
      page.includes(
        'Done. [click me](command:workbench.action.reloadWindow) ![t](https://evil.example/t.png) &lt;img src=https://evil.example/i.png&gt;',
      ),
      page,
    );
    assert.ok(!/\shref=|<img|<script/i.test(page), 'no link, image or script in the page');

    const runUri = await vscode.commands.executeCommand<string>(
      'dynamicWorkflows.showRun',
      api.runsTree.runElement(runId),
    );
    const run = vscode.workspace.textDocuments.find((d) => d.uri.toString() === runUri)!.getText();
    assert.match(run, /^# `render \[docs\]\(command:workbench\.action\.reloadWindow\)` — completed/);
    assert.ok(!LIVE_MARKUP.test(live(run)), live(run));
  });
});
