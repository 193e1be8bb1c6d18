// Every workflow script of the workspace for Run Workflow…: .js files whose first statement is
// `export const meta = …`, found with findFiles and checked on the first few KiB only, so a large
// workspace costs a directory walk plus one small read per .js file.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { isWorkflowText } from './scriptDocs';

/** Dependencies, git's own files and stored runs (each run keeps a copy of its script). */
export const WORKSPACE_SCRIPTS_EXCLUDE = '{**/node_modules/**,**/.git/**,**/.claude/workflow-runs/**}';
/** Enough for a licence header or a long leading comment before the meta. */
const HEAD_BYTES = 8192;
/** A bound on files looked at, so a huge monorepo does not stall the quick pick. */
const MAX_FILES = 2000;

async function head(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Workflow scripts on disk in the open folders, sorted by path; unreadable files are skipped. */
export async function findWorkspaceScripts(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.js', WORKSPACE_SCRIPTS_EXCLUDE, MAX_FILES);
  const found = await Promise.all(
    files
      .filter((u) => u.scheme === 'file')
      .map(async (u) => (isWorkflowText(await head(u.fsPath).catch(() => '')) ? u : undefined)),
  );
  return found.filter((u): u is vscode.Uri => !!u).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
