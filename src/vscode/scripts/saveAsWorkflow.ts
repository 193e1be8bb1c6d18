// `Save Run as Workflow…` and the `Save to .claude/workflows` lens (spec §6.1): the script goes to
// the project's closest `.claude/workflows` or the personal folder (both shown resolved), under a
// name that defaults to meta.name; an existing file is replaced only after asking, and a symlinked
// target is refused with the registry's message.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  FileRunStore,
  SaveError,
  ScriptError,
  defaultPersonalDir,
  findRepoRoot,
  plainLabel,
  projectSaveDir,
  readMeta,
  saveWorkflow,
  slugify,
} from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { RunController } from '../runs/runController';
import { resumableRuns } from '../runs/storedRuns';

export interface SaveDeps {
  controller: RunController;
  dialogs: Dialogs;
}

/** What happened, for callers and tests: the saved path, or why not (undefined: cancelled). */
export type SaveOutcome = { path: string } | { error: string } | undefined;

interface ScopeItem extends vscode.QuickPickItem {
  scope: 'project' | 'personal';
  dir: string;
}

export const OVERWRITE = 'Overwrite';

function fail(message: string): SaveOutcome {
  void vscode.window.showErrorMessage(message);
  return { error: message };
}

/** Asks where and under which name, then writes; `cwd` is the folder the project scope starts from. */
export async function saveSource(deps: SaveDeps, source: string, cwd: string): Promise<SaveOutcome> {
  let name: string;
  try {
    name = readMeta(source, 'workflow.js').name;
  } catch (e) {
    if (e instanceof ScriptError) return fail(`Cannot save: ${e.format()}`);
    throw e;
  }
  const repoRoot = findRepoRoot(cwd);
  const personalDir = defaultPersonalDir();
  const scopes: ScopeItem[] = [
    {
      label: '$(folder) Project',
      description: projectSaveDir(cwd, repoRoot),
      detail: 'The closest .claude/workflows of this workspace: shared with everyone who clones it.',
      scope: 'project',
      dir: projectSaveDir(cwd, repoRoot),
    },
    {
      label: '$(account) Personal',
      description: personalDir,
      detail: 'Yours, in every project.',
      scope: 'personal',
      dir: personalDir,
    },
  ];
  const scope = await deps.dialogs.pick(scopes, {
    title: `Save ${plainLabel(name)} as a workflow`,
    placeHolder: 'Where to save it',
  });
  if (!scope) return undefined;
  const typed = await deps.dialogs.input({
    title: `Save ${name}: file name`,
    prompt: `Saved as <name>.js in ${scope.dir}; the workflow keeps its meta.name "${name}".`,
    value: name,
    validateInput: (t) => (t.trim() === '' ? 'A name is needed.' : undefined),
  });
  if (typed === undefined || typed.trim() === '') return undefined;
  const input = { source, name: typed.trim(), scope: scope.scope, cwd, repoRoot, personalDir };
  try {
    return done((await saveWorkflow(input)).path);
  } catch (e) {
    if (!(e instanceof SaveError)) throw e;
    if (e.code !== 'exists') return fail(e.message);
    const target = path.join(scope.dir, `${slugify(input.name)}.js`);
    const answer = await deps.dialogs.warn(`${path.basename(target)} already exists. Overwrite it?`, target, OVERWRITE);
    if (answer !== OVERWRITE) return undefined;
    try {
      return done((await saveWorkflow({ ...input, overwrite: true })).path);
    } catch (again) {
      if (again instanceof SaveError) return fail(again.message);
      throw again;
    }
  }
}

function done(saved: string): SaveOutcome {
  void vscode.window
    .showInformationMessage(`Saved workflow to ${saved}`, 'Open')
    .then((pick) => pick && vscode.window.showTextDocument(vscode.Uri.file(saved)));
  // The Saved view lists it at once (the command exists when that view is registered).
  void vscode.commands.executeCommand('dynamicWorkflows.refreshSaved').then(undefined, () => undefined);
  return { path: saved };
}

function folderOf(uri: vscode.Uri | undefined): string | undefined {
  const f = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
}

/** The palette command: a run's stored script (picked when not given). */
export async function saveRun(deps: SaveDeps, runId?: string): Promise<SaveOutcome> {
  if (!runId) {
    const records = resumableRuns(deps.controller);
    const pick = await deps.dialogs.pick(
      records.map((r) => ({
        label: plainLabel(r.name),
        description: `${r.status} · ${r.runId}`,
        detail: r.scriptFile && plainLabel(vscode.workspace.asRelativePath(r.scriptFile)),
        runId: r.runId,
      })),
      {
        title: 'Save Run as Workflow',
        placeHolder: records.length ? 'Which run’s script to save' : 'No runs in this workspace',
      },
    );
    runId = pick?.runId;
    if (!runId) return undefined;
  }
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const source = FileRunStore.forWorkspace(f.uri.fsPath).readScript(runId);
    if (source !== undefined) return saveSource(deps, source, f.uri.fsPath);
  }
  return fail(`No run ${runId} in this workspace.`);
}

/** The lens: the script file as the editor shows it. */
export async function saveScript(deps: SaveDeps, uri: vscode.Uri | undefined): Promise<SaveOutcome> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const cwd = folderOf(target);
  if (!target || !cwd) return fail('Open a workflow script inside a workspace folder to save it.');
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  const source = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
  return saveSource(deps, source, cwd);
}
