// Remote agents from the editor (issue 13): the run's runner wrapped in the engine's conductor, whose
// agents' patches come back as WorkspaceEdits (undoable, in the agent's changes, acceptEdits mode).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentRunner, Approver } from '../../core';
import type { ChangeLog } from '../changes/changeLog';
import { EditorWorkspace } from './editorWorkspace';
import { loadRemoteLayer } from './loadRemoteLayer';
import { patchWrites } from './remotePatch';
import { checkedWriteTarget } from '../../agent/workspaceBackstop';

export interface RemoteAgentsOptions {
  url: string;
  /** The `dynamicWorkflows.agents` setting: 'remote' sends every agent, 'local' only isolation: 'remote'. */
  agents: 'local' | 'remote';
  root: string;
  runsDir: string;
  approver: Approver;
  allow: string[];
  model?: string;
  changes: ChangeLog;
  log: vscode.LogOutputChannel;
}

/** Shown in the undo/redo UI for a file a remote agent deleted. */
const DELETE_LABEL = 'Workflow agent edit';

/** `local` with remote agents sent to the engine; close() ends the engine's connections. */
export function withRemoteAgents(
  local: AgentRunner,
  o: RemoteAgentsOptions,
): AgentRunner & { close(): Promise<void>; connect(): Promise<void> } {
  const { RemoteRunner } = loadRemoteLayer();
  const editor = new EditorWorkspace([o.root], { runsDirs: [o.runsDir] }, o.changes);
  return new RemoteRunner(local, {
    url: o.url,
    mode: o.agents === 'remote' ? 'all' : 'marked',
    workspaceRoot: o.root,
    runsDir: o.runsDir,
    approver: o.approver,
    interactive: true,
    yes: false,
    allow: o.allow,
    model: o.model,
    headlessHint: 'answer it in VS Code',
    env: process.env,
    log: (m) => o.log.info(m),
    applyPatch: (patch, agent) => applyRemotePatch(editor, o.root, o.runsDir, patch, agent),
  });
}

/** The patch as the editor's writes; throws (the conductor then keeps the patch) when it cannot be taken. */
export async function applyRemotePatch(
  editor: EditorWorkspace,
  root: string,
  runsDir: string,
  patch: string,
  agent: { runId: string; agentId: string },
): Promise<'applied' | 'already'> {
  const abs = (file: string) => path.join(editor.roots[0] ?? root, file);
  const writes = await patchWrites(patch, async (file) =>
    (await editor.exists(abs(file))) ? editor.readFile(abs(file)) : undefined,
  );
  if (writes === 'already') return 'already';
  // Every target checked first: a patch is taken whole or not at all (protected paths included).
  for (const w of writes) checkedWriteTarget(abs(w.file), editor.roots, { runsDirs: [runsDir] });
  const ws = editor.forAgent(agent);
  for (const w of writes) {
    if (w.kind === 'write') await ws.writeFile(abs(w.file), w.content);
    else {
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(
        vscode.Uri.file(abs(w.file)),
        { ignoreIfNotExists: true },
        { needsConfirmation: false, label: DELETE_LABEL },
      );
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`the editor refused to delete ${w.file}`);
    }
  }
  return 'applied';
}
