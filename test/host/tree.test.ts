// The Runs tree's actions and its behaviour under load, inside the real extension host: skip and
// retry steer live agents, a transcript opens as a readable document, a result reaches the
// clipboard, the call site opens in the script, the run node shows its log and result, and a
// 300-agent fan-out stays collapsed with counts while refreshes stay batched.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, byTurn, echo, firstUserText, type Responder } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { Hold, agents, extensionApi, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

/** Depth-first search of a run's subtree for the node with this label. */
async function findNode(api: DynamicWorkflowsApi, root: RunsElement, label: string): Promise<RunsElement | undefined> {
  for (const el of (await api.runsTree.getChildren(root)) ?? []) {
    const item = await api.runsTree.getTreeItem(el);
    if (item.label === label) return el;
    const below = await findNode(api, el, label);
    if (below) return below;
  }
  return undefined;
}

async function itemOf(api: DynamicWorkflowsApi, el: RunsElement): Promise<vscode.TreeItem> {
  return api.runsTree.getTreeItem(el);
}

function iconId(item: vscode.TreeItem): string | undefined {
  return (item.iconPath as { id?: string } | undefined)?.id;
}

function documentText(uri: string | undefined): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(doc, `document ${uri} is open`);
  return doc.getText();
}

describe('Runs tree actions', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];
  const config = () => vscode.workspace.getConfiguration('dynamicWorkflows');

  function hold(): Hold {
    const h = new Hold();
    holds.push(h);
    return h;
  }

  /** Starts a workspace script and waits for its agent `label` to appear in the tree. */
  async function start(script: string): Promise<string> {
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile(script),
    );
    assert.match(runId ?? '', /^wf_/, `${script} started`);
    return runId!;
  }

  async function agentElement(runId: string, label: string, state?: string): Promise<RunsElement> {
    return waitFor(`${label}${state ? ` ${state}` : ''} in the tree`, async () => {
      const el = await findNode(api, api.runsTree.runElement(runId), label);
      return el && (!state || (await itemOf(api, el)).contextValue === `agent.${state}`) && el;
    });
  }

  before(async () => {
    server = await startFakeModel(API_KEY, { concurrency: 16 });
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await config().update('concurrency', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('Skip Agent on a held agent: the tree shows it skipped and its agent() resolves null', async () => {
    const h = hold();
    server.respond(byPrompt([[/^Steer/, async (req) => (await h.wait(), echo(req))]]));
    const runId = await start('steer.js');
    const one = await agentElement(runId, 'steer:one', 'running');
    await agentElement(runId, 'steer:two', 'running');

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.skipAgent', one), true);
    await waitFor(
      'steer:one skipped in the tree',
      async () => (await itemOf(api, one)).contextValue === 'agent.skipped',
    );
    assert.equal(iconId(await itemOf(api, one)), 'debug-step-over');
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.skipAgent', one),
      false,
      'a skipped agent cannot be skipped again',
    );

    h.release();
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(result.result, [null, 'echo:Steer two']);
    assert.equal(result.agents.skipped, 1);
  });

  it('Retry Agent on a running agent: attempt 2 reaches the model and the agent ends done', async () => {
    const h = hold();
    let firstCalls = 0;
    const steerOne: Responder = async (req) => {
      // The first attempt hangs until the retry aborts it; the second answers at once.
      if (++firstCalls === 1) await h.wait();
      return echo(req);
    };
    server.respond(byPrompt([[/^Steer one/, steerOne]]));
    const before = server.requests.length;
    const runId = await start('steer.js');
    const one = await agentElement(runId, 'steer:one', 'running');
    await waitFor('the first attempt at the model', () =>
      server.requests.slice(before).some((r) => firstUserText(r.body) === 'Steer one'),
    );

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.retryAgent', one), true);
    const result = await api.controller.get(runId)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(result.result, ['echo:Steer one', 'echo:Steer two']);
    const prompts = server.requests.slice(before).filter((r) => firstUserText(r.body) === 'Steer one');
    assert.equal(prompts.length, 2, 'the model saw the prompt twice');
    assert.equal(prompts[0].aborted, true, 'the first attempt was aborted');

    const item = await waitFor('steer:one done', async () => {
      const i = await itemOf(api, one);
      return i.contextValue === 'agent.done' && i;
    });
    assert.match(String(item.description), /attempt 2/);
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.retryAgent', one),
      false,
      'a finished agent cannot be retried',
    );
    const transcript = await vscode.commands.executeCommand<string>('dynamicWorkflows.openTranscript', one);
    assert.match(documentText(transcript), /## Attempt 1[\s\S]*## Attempt 2/, 'the transcript shows both attempts');
  });

  describe('on a finished agent that used a tool', () => {
    let runId: string;
    let reader: RunsElement;
    const answer = 'The README says this folder is what the host tests open.';

    before(async () => {
      server.respond(
        byPrompt([
          [
            /^Read README/,
            byTurn({ toolUses: [{ name: 'Read', input: { file_path: 'README.md' } }] }, { text: answer }),
          ],
        ]),
      );
      runId = await start('reader.js');
      const result = await api.controller.get(runId)!.done;
      assert.equal(result.status, 'completed', result.error?.message);
      reader = await agentElement(runId, 'reader', 'done');
    });

    it('Open Transcript shows the prompt, the tool call with its result and the final output, read-only', async () => {
      const uri = await vscode.commands.executeCommand<string>('dynamicWorkflows.openTranscript', reader);
      const text = documentText(uri);
      assert.match(text, /### Prompt\s+`{3,}\s*\nRead README\.md and summarise it/);
      assert.match(text, /#### Tool call: `Read` · \d+ ms/);
      assert.match(
        text,
        /\nRead \[`README\.md`\]\(command:dynamicWorkflows\.openWorkspaceFile\?[^)\s]+\)\n/,
        'the Read as a line with the file linked',
      );
      assert.match(text, /The folder the in-host tests open/, 'the Read result (the README) is there');
      assert.match(text, new RegExp(`## Final output\\s+\`{3,}\\s*\\n${answer.replace(/\./g, '\\.')}`));
      assert.ok(!/^\{"at":/m.test(text), 'rendered, not raw JSONL');
      assert.equal(vscode.Uri.parse(uri).scheme, 'dynamic-workflows', 'served by the read-only provider');
      assert.equal(api.documentView.current?.uri, uri, 'the rendered view shows the transcript');
    });

    it('Copy Result puts the full result on the clipboard', async () => {
      await vscode.env.clipboard.writeText('');
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.copyResult', reader), answer);
      assert.equal(await vscode.env.clipboard.readText(), answer);
    });

    it('Reveal Call Site opens the script with the selection on the agent( call', async () => {
      assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.revealCallSite', reader), true);
      const editor = await waitFor('reader.js in the editor', () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.fsPath === workspaceFile('reader.js').fsPath && e;
      });
      const lines = fs.readFileSync(workspaceFile('reader.js').fsPath, 'utf8').split('\n');
      const line = lines.findIndex((l) => l.includes('agent('));
      assert.equal(editor.selection.active.line, line, 'the cursor is on the agent( line');
      assert.equal(editor.document.getText(editor.selection), 'agent', 'the called name is selected');
    });

    it('the run node shows its log and result when selected, and previews both in tooltips', async () => {
      const runEl = api.runsTree.runElement(runId);
      const runItem = await itemOf(api, runEl);
      assert.equal(runItem.command?.command, 'dynamicWorkflows.showRun', 'selecting the run runs Show Run');
      const uri = await vscode.commands.executeCommand<string>(
        runItem.command!.command,
        ...(runItem.command!.arguments ?? []),
      );
      const text = documentText(uri);
      assert.match(text, /^# `reader` — completed/);
      assert.match(text, /## Result\s+`{3,}\s*\nThe README says/);
      assert.match(text, /reading the README[\s\S]*summary ready/, 'the log lines, in order');

      const tip = (await api.runsTree.resolveTreeItem(await itemOf(api, reader), reader))
        .tooltip as vscode.MarkdownString;
      assert.match(tip.value, /Read README\.md and summarise it/, 'the agent tooltip previews the prompt');
      assert.match(tip.value, /The README says/, 'and the result');
      const runTip = (await api.runsTree.resolveTreeItem(runItem, runEl)).tooltip as vscode.MarkdownString;
      assert.match(runTip.value, /\*\*Result:\*\*[\s\S]*The README says/);
    });
  });

  it('a 300-agent fan-out: the big group stays collapsed with counts, refreshes stay batched, the run ends 300/300', async () => {
    const last = hold();
    // Zero latency, except the last agent, held so the mid-run counts can be read.
    server.respond(byPrompt([[/^Wide 299$/, async (req) => (await last.wait(), echo(req))]]));
    const statsBefore = { ...api.runsTree.stats };
    let fired = 0;
    const counting = api.runsTree.onDidChangeTreeData((e) => (fired += Array.isArray(e) ? e.length : 1));
    // The extension host's event loop must keep turning while the run streams its events.
    let maxLag = 0;
    let lastTick = Date.now();
    const lagProbe = setInterval(() => {
      const now = Date.now();
      maxLag = Math.max(maxLag, now - lastTick);
      lastTick = now;
    }, 10);
    const started = Date.now();
    try {
      const runId = await start('wide.js');
      const runEl = api.runsTree.runElement(runId);
      const group = await waitFor('the parallel group', async () => {
        const [phase] = (await api.runsTree.getChildren(runEl)) ?? [];
        return phase && ((await api.runsTree.getChildren(phase)) ?? [])[0];
      });
      const mid = await waitFor('299 done and the held one running', async () => {
        const item = await itemOf(api, group);
        return /^299 of ≥?300 done · 1 running/.test(String(item.description)) && item;
      });
      assert.equal(mid.label, 'parallel ×300');
      assert.equal(
        mid.collapsibleState,
        vscode.TreeItemCollapsibleState.Collapsed,
        'a group of more than 50 slots starts collapsed',
      );
      assert.match(String((await itemOf(api, runEl)).description), /^299 of ≥?300 done · 1 running · /);

      last.release();
      const result = await api.controller.get(runId)!.done;
      const ms = Date.now() - started;
      assert.equal(result.status, 'completed', result.error?.message);
      assert.equal(result.result, 300);

      const run = await waitFor('the finished run', async () => {
        const r = await runSnapshot(api, runId);
        return r.icon === 'pass' && r;
      });
      assert.match(run.description, /^300\/300 done · \d/);
      const [phase] = run.children;
      const [big] = phase.children;
      assert.equal(big.collapsible, vscode.TreeItemCollapsibleState.Collapsed);
      assert.match(big.description, /^300\/300 done · \d/);
      assert.equal(big.children.length, 300, 'one row per slot');
      assert.ok(
        big.children.every((c) => c.contextValue === 'agent.done'),
        'single-agent slots are flattened into their agent rows',
      );
      assert.equal(agents([run]).filter((a) => a.contextValue === 'agent.done').length, 300);

      // ~1200 agent events went by; the view was only told about the handful of nodes it showed
      // (run, phase, group), a few times a second.
      const fires = api.runsTree.stats.fires - statsBefore.fires;
      const elements = api.runsTree.stats.elements - statsBefore.elements;
      console.log(
        `    300 agents in ${ms} ms: ${fires} tree refreshes, ${elements} elements (${fired} seen by listeners), max event-loop lag ${maxLag} ms`,
      );
      assert.ok(
        fires <= Math.ceil(ms / 100) + Math.ceil(ms / 1000) + 10,
        `refreshes are batched: ${fires} in ${ms} ms`,
      );
      assert.ok(elements < 100, `only shown nodes are refreshed: ${elements} elements`);
      assert.ok(maxLag < 2000, `the extension host stays responsive: ${maxLag} ms lag`);
    } finally {
      clearInterval(lagProbe);
      counting.dispose();
    }
  });
});
