// `Workflows: Run Workflow…`: a quick pick of the active editor's script, the workflow scripts of the
// workspace and the saved workflows (project, personal, bundled, with description and origin), then
// an `args` input for scripts that read args, then the run — through the controller, whose gate
// shows the pre-run dialog.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  defaultPersonalDir,
  discoverWorkflows,
  findRepoRoot,
  plainLabel,
  readMeta,
  type SavedWorkflow,
} from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { RunController } from '../runs/runController';
import { reportRefused } from '../runs/refusals';
import { askArgs } from '../ui/argsPrompt';
import { shouldAskArgs } from '../ui/argsQuestion';
import { scriptText } from './scriptText';
import { isWorkflowDocument } from './scriptDocs';
import { findWorkspaceScripts } from './workspaceScripts';

export interface RunWorkflowDeps {
  controller: RunController;
  dialogs: Dialogs;
  /** Folder of the workflows shipped with the extension. */
  bundledDir?: string;
  /** Shows a started run in the Runs view. */
  reveal(runId: string): void;
  log?(message: string): void;
}

interface WorkflowItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  workflow?: SavedWorkflow;
  /** meta.whenToUse: where scripts document the args they expect, shown in the args prompt. */
  whenToUse?: string;
}

const ORIGIN_ORDER = ['project', 'personal', 'plugin', 'bundled'] as const;

function activeFolder(): vscode.WorkspaceFolder | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** A workflow script of the workspace that is not saved: its meta name, or the file name when the meta does not parse. */
async function workspaceItem(uri: vscode.Uri): Promise<WorkflowItem> {
  const rel = vscode.workspace.asRelativePath(uri);
  try {
    const meta = readMeta(await fs.readFile(uri.fsPath, 'utf8'), uri.fsPath);
    return {
      label: `$(file-code) ${plainLabel(meta.name)}`,
      description: plainLabel(meta.description),
      detail: plainLabel(rel),
      uri,
      whenToUse: meta.whenToUse,
    };
  } catch {
    return {
      label: `$(file-code) ${plainLabel(path.basename(uri.fsPath))}`,
      description: 'its meta does not parse yet',
      detail: plainLabel(rel),
      uri,
    };
  }
}

async function items(deps: RunWorkflowDeps): Promise<WorkflowItem[]> {
  const out: WorkflowItem[] = [];
  const listed = new Set<string>();
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isWorkflowDocument(doc)) {
    let name = path.basename(doc.uri.fsPath);
    let description = 'the active editor';
    let whenToUse: string | undefined;
    try {
      ({ name, whenToUse } = readMeta(doc.getText(), doc.uri.fsPath));
    } catch {
      description = 'the active editor (its meta does not parse yet)';
    }
    out.push({ label: 'Current script', kind: vscode.QuickPickItemKind.Separator });
    out.push({
      label: `$(file-code) ${plainLabel(name)}`,
      description,
      detail: vscode.workspace.asRelativePath(doc.uri),
      uri: doc.uri,
      whenToUse,
    });
    listed.add(doc.uri.fsPath);
  }
  const saved: WorkflowItem[] = [];
  const folder = activeFolder();
  if (folder?.uri.scheme === 'file') {
    const cwd = folder.uri.fsPath;
    const { workflows, warnings } = await discoverWorkflows({
      cwd,
      repoRoot: findRepoRoot(cwd),
      personalDir: defaultPersonalDir(),
      bundledDir: deps.bundledDir,
    });
    for (const w of warnings) deps.log?.(w);
    for (const origin of ORIGIN_ORDER) {
      const of = workflows.filter((w) => w.origin === origin);
      if (of.length === 0) continue;
      saved.push({ label: origin, kind: vscode.QuickPickItemKind.Separator });
      for (const w of of) {
        const where = origin === 'project' ? vscode.workspace.asRelativePath(w.path) : w.path;
        saved.push({
          label: plainLabel(w.name),
          description: plainLabel(w.description),
          detail: `${origin} · ${plainLabel(where)}`,
          uri: vscode.Uri.file(w.path),
          workflow: w,
          whenToUse: w.whenToUse,
        });
        listed.add(path.resolve(w.path));
      }
    }
  }
  // Scripts anywhere in the workspace, not only the open one: saved ones are listed under their origin.
  const scripts = (await findWorkspaceScripts()).filter((u) => !listed.has(u.fsPath));
  if (scripts.length) {
    out.push({ label: 'workspace', kind: vscode.QuickPickItemKind.Separator });
    out.push(...(await Promise.all(scripts.map(workspaceItem))));
  }
  return [...out, ...saved];
}

/** The whole command; resolves to the new run's id, undefined when nothing started. */
export async function runWorkflow(deps: RunWorkflowDeps): Promise<string | undefined> {
  const list = await items(deps);
  if (!list.some((i) => i.uri)) {
    void vscode.window.showInformationMessage(
      'No workflow scripts in this workspace, no saved workflows (.claude/workflows, ~/.claude/workflows) and no workflow script in the editor.',
    );
    return undefined;
  }
  const pick = await deps.dialogs.pick(list, {
    title: 'Run Workflow',
    placeHolder: 'A workflow script of this workspace or a saved workflow',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick?.uri) return undefined;
  // A script that never reads args gets none, without a question.
  if (!shouldAskArgs(await scriptText(pick.uri))) return startFile(deps, pick.uri, undefined);
  // Shown in the input box: escaped like the pick's labels (the current script's label already is).
  const name = pick.workflow ? plainLabel(pick.workflow.name) : pick.label.replace(/^\$\([^)]*\)\s*/, '');
  const hint = pick.whenToUse ? ` ${plainLabel(pick.whenToUse)}` : '';
  const args = await askArgs(deps.dialogs, {
    title: `Run ${name}: args`,
    prompt: `Optional args: JSON, or any other text as a plain string. Empty: none.${hint}`,
  });
  if (!args) return undefined;
  return startFile(deps, pick.uri, args.args);
}

/** Parses and starts `uri` with `args` (the gate asks first). */
export async function startFile(
  deps: Pick<RunWorkflowDeps, 'controller' | 'reveal'>,
  uri: vscode.Uri,
  args: unknown,
): Promise<string | undefined> {
  try {
    const session = await deps.controller.runScript(await deps.controller.parseFile(uri), args);
    deps.reveal(session.runId);
    return session.runId;
  } catch (e) {
    return reportRefused(e);
  }
}
