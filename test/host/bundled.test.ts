// The bundled workflows in the real extension host: listed under Bundled in the Saved view from the
// extension's own workflows/ folder, run from the view against the fake model (with its server-side
// web search), and overridden by a project workflow of the same name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  assistantTurns,
  byPrompt,
  firstUserText,
  searchResultsSoFar,
  type FakeAnthropicServer,
  type FakeTurn,
} from '../fakes/fakeAnthropic';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { SavedElement } from '../../src/vscode/scripts/savedTree';
import { EXTENSION_ID, extensionApi, waitFor, workspaceFile, startFakeModel } from './helpers';

const API_KEY = 'sk-ant-host-test';
const answer = (input: unknown): FakeTurn => ({ toolUses: [{ name: 'StructuredOutput', input }] });

async function listed(api: DynamicWorkflowsApi): Promise<{ origin: string; name: string; element: SavedElement }[]> {
  const out: { origin: string; name: string; element: SavedElement }[] = [];
  for (const group of await api.savedTree.getChildren()) {
    const origin = String((await api.savedTree.getTreeItem(group)).label);
    for (const element of await api.savedTree.getChildren(group))
      out.push({ origin, name: String((await api.savedTree.getTreeItem(element)).label), element });
  }
  return out;
}

describe('Bundled workflows', () => {
  let api: DynamicWorkflowsApi;
  let server: FakeAnthropicServer;
  const override = () => path.join(path.dirname(workspaceFile('.claude/workflows/greet.js').fsPath), 'my-review.js');

  before(async () => {
    server = await startFakeModel(API_KEY);
    api = await extensionApi();
  });
  after(async () => {
    fs.rmSync(override(), { force: true });
    await server?.close();
  });

  it('are listed under Bundled in the Saved view, from the extension folder', async () => {
    const bundled = (await listed(api)).filter((w) => w.origin === 'Bundled');
    assert.deepEqual(
      bundled.map((w) => w.name),
      ['bug-hunt', 'code-review', 'deep-research'],
    );
    const folder = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'workflows');
    for (const w of bundled)
      assert.equal(w.element.kind === 'workflow' && path.dirname(w.element.workflow.path), folder);
  });

  it('deep-research runs from the view: its report cites what the web search returned', async () => {
    server.respond(
      byPrompt([
        ['Plan web research', () => answer({ subQuestions: [{ question: 'What is Gamma?' }] })],
        [
          'You research one part',
          (req) =>
            assistantTurns(req.body) === 0
              ? {
                  webSearches: [
                    { query: 'Gamma', results: [{ url: 'https://gamma.example/spec', title: 'Gamma spec' }] },
                  ],
                  toolUses: [{ name: 'Glob', input: { pattern: '*.md' } }],
                }
              : answer({
                  claims: searchResultsSoFar(req.body).map((r) => ({
                    claim: 'Gamma is a spec.',
                    sourceUrl: r.url,
                    sourceTitle: r.title,
                  })),
                }),
        ],
        ['Independent fact check', () => answer({ verdict: 'supported', reason: 'it says so' })],
        ['Write a research report', () => ({ text: 'Gamma is a spec [1].' })],
      ]),
    );
    const item = (await listed(api)).find((w) => w.origin === 'Bundled' && w.name === 'deep-research')!;
    const runId = await vscode.commands.executeCommand<string | undefined>(
      'dynamicWorkflows.runSaved',
      item.element,
      'What is Gamma?',
    );
    assert.match(runId ?? '', /^wf_/);
    const result = await api.controller.get(runId!)!.done;
    assert.equal(result.status, 'completed', result.error?.message);
    const report = (result.result as { report: string }).report;
    assert.ok(report.includes('Gamma is a spec [1].'), report);
    assert.ok(report.includes('## Sources\n\n[1] [Gamma spec](https://gamma.example/spec)'), report);
    assert.equal(
      server.requests.filter((r) => firstUserText(r.body).startsWith('Independent fact check')).length,
      3,
      'three verifiers for the one claim',
    );
  });

  it('a project workflow named code-review takes its place (listed under Project, not Bundled)', async () => {
    fs.writeFileSync(
      override(),
      "export const meta = { name: 'code-review', description: 'Our own review' }\nreturn 1\n",
    );
    await waitFor('the project code-review listed', async () =>
      (await listed(api)).some((w) => w.name === 'code-review' && w.origin === 'Project'),
    );
    const named = (await listed(api)).filter((w) => w.name === 'code-review');
    assert.deepEqual(
      named.map((w) => w.origin),
      ['Project'],
    );
  });
});
