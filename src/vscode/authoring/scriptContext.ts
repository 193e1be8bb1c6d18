// What a run of one workflow document would know, asked the way the run asks it: the agent types
// (built-ins, plugins, personal and project `.claude/agents/*.md`, as the runner loads them) and
// the saved-workflow registry for workflow(). Read from disk on each check, so a new agent file
// or saved workflow counts at once.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findRepoRoot, personalFolder, registryResolver, workflowProblemsOf, type AuthoringContext } from '../../core';
import { loadAgentLayer } from '../agents/loadAgentLayer';

/** The folder a run of this document is rooted at: its workspace folder, else the first, else its own folder. */
export function runRootOf(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : path.dirname(uri.fsPath);
}

/** The agent types a run rooted at `root` can name (the definitions plans price agents by). */
export function agentTypesFor(root: string): string[] {
  // The agent layer (yaml) loads here, on the first script that names an agentType, never at activation.
  const defs = loadAgentLayer().agentTypeDefinitions(root, personalFolder(process.env, process.cwd()));
  return [...defs.keys()];
}

/** Whether the text names an agentType at all (only then is the agent layer worth loading). */
function mentionsAgentType(text: string): boolean {
  return text.includes('agentType');
}

export async function authoringContextFor(doc: vscode.TextDocument, bundledDir?: string): Promise<AuthoringContext> {
  const text = doc.getText();
  const root = runRootOf(doc.uri);
  const personal = personalFolder(process.env, process.cwd());
  const resolve = registryResolver({
    cwd: root,
    repoRoot: findRepoRoot(root),
    personalDir: personal.workflowsDir,
    configDir: personal.configDir,
    bundledDir,
  });
  return {
    agentTypes: mentionsAgentType(text) ? agentTypesFor(root) : undefined,
    workflowProblem: text.includes('workflow(') ? await workflowProblemsOf(text, resolve, doc.uri.fsPath) : undefined,
  };
}
