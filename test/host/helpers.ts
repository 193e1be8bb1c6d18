// What the host tests share: the extension's API, a polling wait, the fake Messages API server's
// "hold" switch, and a snapshot of the Runs tree exactly as its TreeDataProvider hands it to VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DynamicWorkflowsApi } from '../../src/extension';
import type { RunsElement } from '../../src/vscode/runs/runsTree';
import { FakeAnthropicServer } from '../fakes/fakeAnthropic';

export const EXTENSION_ID = 'dynamic-workflows.dynamic-workflows';

export async function extensionApi(): Promise<DynamicWorkflowsApi> {
  const ext = vscode.extensions.getExtension<DynamicWorkflowsApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** A file of the opened test workspace (a scratch copy of test/host/workspace). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host tests need the test workspace folder open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Model answers held back until released: lets a test look at the tree while agents run. */
export class Hold {
  private waiting: (() => void)[] = [];
  private open = false;

  wait(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((r) => this.waiting.push(r));
  }

  release(): void {
    this.open = true;
    for (const r of this.waiting.splice(0)) r();
  }
}

export interface TreeSnapshot {
  label: string;
  description: string;
  icon: string | undefined;
  contextValue: string | undefined;
  collapsible: vscode.TreeItemCollapsibleState | undefined;
  children: TreeSnapshot[];
}

/** The Runs tree below `root` (all runs when omitted), as the view would render it. */
export async function snapshot(api: DynamicWorkflowsApi, root?: RunsElement): Promise<TreeSnapshot[]> {
  const elements = (await api.runsTree.getChildren(root)) ?? [];
  return Promise.all(elements.map((el) => nodeSnapshot(api, el)));
}

/** One run's root node with everything below it. */
export function runSnapshot(api: DynamicWorkflowsApi, runId: string): Promise<TreeSnapshot> {
  return nodeSnapshot(api, api.runsTree.runElement(runId));
}

async function nodeSnapshot(api: DynamicWorkflowsApi, el: RunsElement): Promise<TreeSnapshot> {
  const item = await api.runsTree.getTreeItem(el);
  return {
    label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
    description: typeof item.description === 'string' ? item.description : '',
    // Duck-typed: the test's vscode API object is not the extension's.
    icon: (item.iconPath as { id?: string } | undefined)?.id,
    contextValue: item.contextValue,
    collapsible: item.collapsibleState,
    children: await snapshot(api, el),
  };
}

/** Every node of a snapshot, depth first. */
export function flatten(nodes: TreeSnapshot[]): TreeSnapshot[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** Agents are the nodes whose contextValue starts with `agent.`. */
export function agents(nodes: TreeSnapshot[]): TreeSnapshot[] {
  return flatten(nodes).filter((n) => n.contextValue?.startsWith('agent.'));
}

/**
 * Starts the fake Messages API on 127.0.0.1 and points the extension at it: the key through the
 * environment the runner reads, the endpoint and concurrency through the extension's settings, and
 * the pre-run dialog off (user settings).
 */
export async function startFakeModel(
  apiKey: string,
  options: { concurrency?: number } = {},
): Promise<FakeAnthropicServer> {
  const server = await FakeAnthropicServer.start({ apiKey });
  process.env.ANTHROPIC_API_KEY = apiKey;
  const config = vscode.workspace.getConfiguration('dynamicWorkflows');
  await config.update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
  // The pre-run dialog is a user setting (a workspace value is ignored); tests that show it turn it on.
  await config.update('confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
  // So is the large-run question (the plan's default tokens per agent make ~8 agents "large"):
  // out of the way here; largeRun.test.ts puts the defaults back.
  await config.update('confirmAboveAgents', 1_000_000, vscode.ConfigurationTarget.Global);
  await config.update('confirmAboveTokens', 1e12, vscode.ConfigurationTarget.Global);
  if (options.concurrency !== undefined)
    await config.update('concurrency', options.concurrency, vscode.ConfigurationTarget.Global);
  return server;
}
