// The run command, the Runs tree and stop, inside the real extension host, with agents talking to
// the fake Messages API server through the real SDK (started here, in the extension host process).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropicServer } from '../fakes/fakeAnthropic';
import { byPrompt, echo, type Responder } from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import { Hold, agents, extensionApi, flatten, runSnapshot, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';

describe('runs in the extension host', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const holds: Hold[] = [];

  /** A responder that echoes only after the returned hold is released. */
  function held(): { hold: Hold; responder: Responder } {
    const hold = new Hold();
    holds.push(hold);
    return { hold, responder: async (req) => (await hold.wait(), echo(req)) };
  }

  before(async () => {
    // More than the 3 parallel agents, so all of them run at once on a 2-core machine too.
    server = await startFakeModel(API_KEY, { concurrency: 4 });
    api = await extensionApi();
  });

  after(async () => {
    for (const h of holds) h.release();
    await server?.close();
  });

  it("Run Current Script runs the editor's script; the Runs tree shows its groups and agents live, then their final states", async () => {
    const { hold, responder } = held();
    server.respond(byPrompt([[/^Survey/, responder]]));
    const requestsBefore = server.requests.length;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('fan-out.js')));

    const runId = await vscode.commands.executeCommand<string | undefined>('dynamicWorkflows.runCurrentScript');
    assert.match(runId ?? '', /^wf_/, 'the command returns the new run id');
    const session = api.controller.get(runId!);
    assert.ok(session, 'the controller tracks the run');

    // Mid-run: the three parallel agents spin while the model holds its answers.
    const live = await waitFor('three running agents in the tree', async () => {
      const run = await runSnapshot(api, runId!);
      return agents([run]).filter((a) => a.icon === 'loading~spin').length === 3 && run;
    });
    assert.equal(live.icon, 'loading~spin', 'a live run spins');
    assert.equal(live.contextValue, 'run.running');
    const parallel = flatten([live]).find((n) => n.contextValue === 'group.parallel');
    assert.ok(parallel, 'the parallel group is a node');
    assert.equal(parallel.label, 'parallel ×3');
    // One agent per slot: the slot level is flattened, the agents hang straight below the group.
    assert.deepEqual(
      parallel.children.map((a) => `${a.label}:${a.contextValue}`),
      ['survey:alpha:agent.running', 'survey:beta:agent.running', 'survey:gamma:agent.running'],
    );
    const groupEl = (
      await api.runsTree.getChildren((await api.runsTree.getChildren(api.runsTree.runElement(runId!)))[0])
    )[0];
    for (const agentEl of await api.runsTree.getChildren(groupEl)) {
      assert.equal(
        api.runsTree.getParent(agentEl),
        groupEl,
        `${agentEl.nodeId}'s parent is the group, not its hidden slot`,
      );
    }
    assert.match(
      api.statusBar.text ?? '',
      /^\$\(loading~spin\) \d of ≥?\d+ done · 3 running/,
      'the status bar counts the running agents',
    );

    hold.release();
    const result = await session!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    assert.deepEqual(result.result, {
      notes: ['echo:Survey alpha', 'echo:Survey beta', 'echo:Survey gamma'],
      refined: ['echo:Polish one', 'echo:Polish two'],
    });
    assert.equal(server.requests.length - requestsBefore, 7, '3 parallel + 2×2 pipeline agents, one model call each');
    const keyOf = (h: Record<string, string | string[] | undefined>) =>
      h['x-api-key'] ?? String(h.authorization ?? '').replace(/^Bearer\s+/i, '');
    assert.ok(
      server.requests.slice(requestsBefore).every((r) => keyOf(r.headers) === API_KEY),
      'the key reaches the API',
    );

    // The final tree: run → phases → groups → slots → agents, all done, with tokens in the descriptions.
    const done = await waitFor('the finished run in the tree', async () => {
      const run = await runSnapshot(api, runId!);
      return run.icon === 'pass' && run;
    });
    assert.equal(done.label, 'fan-out');
    assert.equal(done.contextValue, 'run.finished');
    assert.match(done.description, /^7\/7 done · \d[\d.k]* tok · \d/);
    assert.deepEqual(
      done.children.map((p) => `${p.label}:${p.icon}`),
      ['Survey:pass', 'Refine:pass'],
    );
    const [survey, refine] = done.children;
    assert.deepEqual(
      survey.children.map((g) => g.label),
      ['parallel ×3'],
    );
    const pipeline = refine.children[0];
    assert.equal(pipeline.label, 'pipeline ×2 · 2 stages');
    assert.equal(pipeline.contextValue, 'group.pipeline');
    assert.deepEqual(
      pipeline.children.map((slot) => slot.children.map((a) => `${a.label}@${a.description.split(' · ')[0]}`)),
      [
        ['draft:one@stage 1', 'polish:one@stage 2'],
        ['draft:two@stage 1', 'polish:two@stage 2'],
      ],
      'each pipeline slot holds its stages in order',
    );
    assert.deepEqual(
      pipeline.children.map((slot) => `${slot.label}:${slot.contextValue}`),
      ['[0] one:slot', '[1] two:slot'],
      'a slot is labelled by the pipeline item it was made from (the item wins over the first agent label)',
    );
    const all = agents([done]);
    assert.equal(all.length, 7);
    for (const a of all) {
      assert.equal(a.icon, 'pass', `${a.label} is done`);
      assert.equal(a.contextValue, 'agent.done');
      assert.match(a.description, /\d[kM]? tok/, `${a.label} shows its tokens: ${a.description}`);
    }
    assert.ok(
      done.description.startsWith((api.statusBar.text ?? '').replace(/^\$\(pass\) /, '')),
      "the status bar keeps the finished run's counts, no longer spinning",
    );
  });

  it('Stop Run stops a live run: agents are aborted and the tree shows them stopped', async () => {
    const { responder } = held();
    server.respond(byPrompt([[/^Hold/, responder]]));
    const requestsBefore = server.requests.length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('hold.js'),
    );
    assert.match(runId ?? '', /^wf_/);
    await waitFor(
      'both agents waiting on the model',
      () => server.requests.length - requestsBefore === 2 && server.inFlight === 2,
    );
    await waitFor(
      'two running agents in the tree',
      async () => agents([await runSnapshot(api, runId!)]).filter((a) => a.icon === 'loading~spin').length === 2,
    );

    assert.equal(await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId), true);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'stopped');
    await waitFor('the requests aborted', () => server.requests.slice(requestsBefore).every((r) => r.aborted));

    const run = await waitFor('the stopped run in the tree', async () => {
      const r = await runSnapshot(api, runId!);
      return r.icon === 'debug-stop' && r;
    });
    assert.equal(run.contextValue, 'run.finished.stopped', 'a stopped run offers Resume inline');
    const stopped = agents([run]);
    assert.deepEqual(
      stopped.map((a) => `${a.label}:${a.icon}`),
      ['hold:1:debug-stop', 'hold:2:debug-stop'],
    );
    assert.equal(
      await vscode.commands.executeCommand('dynamicWorkflows.stopRun', runId),
      false,
      'a finished run cannot be stopped again',
    );
  });

  it('a script that does not parse starts no run', async () => {
    const before = api.controller.list().length;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runFile',
      workspaceFile('broken.js'),
    );
    assert.equal(runId, undefined);
    assert.equal(api.controller.list().length, before);
  });
});
