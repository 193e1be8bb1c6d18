// The editor host's Workspace (src/core/ports.ts): agents read what the editor shows and write
// through WorkspaceEdits, so an agent's change appears in open editors as it happens, can be
// undone there like any edit, and is saved at once so the next agent and the tools that read the
// disk (Glob, Grep, Bash) see it. acceptEdits mode: nothing asks the person first, except for
// protected paths (the access gate asks; the backstop below refuses what it did not grant).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Workspace } from '../../core';
import {
  absoluteWorkspacePath,
  checkedWriteTarget,
  existsOnDisk,
  type WorkspaceGuardOptions,
} from '../../agent/workspaceBackstop';
import { assertNotSpecialFile, readRegularFile } from '../../agent/tools/regularFile';
import type { ChangeLog } from '../changes/changeLog';

/** Shown in the undo/redo and refactor-preview UI for an agent's edit. */
const EDIT_LABEL = 'Workflow agent edit';

export class EditorWorkspace implements Workspace {
  readonly roots: string[];
  /** The last write queued per file: writes to one file apply in order, never interleaved. */
  private readonly writes = new Map<string, Promise<void>>();

  /** `roots` are the workspace folders; they must exist (they are resolved to real paths here). */
  /** `changes`: where agents' writes (through forAgent) are recorded for the Runs view and the highlights. */
  constructor(
    roots: string[],
    private readonly guard: WorkspaceGuardOptions = {},
    private readonly changes?: ChangeLog,
  ) {
    if (roots.length === 0) throw new Error('EditorWorkspace needs at least one workspace folder');
    this.roots = roots.map((r) => fs.realpathSync(path.resolve(r)));
  }

  async readFile(file: string): Promise<string> {
    const doc = openDocument(absoluteWorkspacePath(file));
    // A clean document holds what the disk holds, and the disk is fresher when a command just
    // changed the file and the editor has not reloaded it yet; unsaved edits exist only in the editor.
    if (doc?.isDirty) return doc.getText();
    return readRegularFile(file); // never blocks on a FIFO or reads a device
  }

  exists(file: string): Promise<boolean> {
    return existsOnDisk(file);
  }

  async writeFile(file: string, content: string): Promise<void> {
    // The port's backstop (inside one of roots, on the physical path; protected paths only when granted).
    const target = checkedWriteTarget(file, this.roots, this.guard);
    await assertNotSpecialFile(target); // openTextDocument on a FIFO would hang the extension host
    const previous = this.writes.get(target) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => applyAndSave(target, content));
    this.writes.set(target, next);
    void next.finally(() => this.writes.get(target) === next && this.writes.delete(target)).catch(() => undefined);
    return next;
  }

  /** This workspace with the agent's writes recorded in the change log (the text before each file's first change). */
  forAgent(agent: { runId: string; agentId: string }): Workspace {
    const changes = this.changes;
    if (!changes) return this;
    return {
      roots: this.roots,
      readFile: (file) => this.readFile(file),
      exists: (file) => this.exists(file),
      writeFile: async (file, content) => {
        const target = realPathOr(absoluteWorkspacePath(file));
        const before = (await this.exists(target)) ? await this.readFile(target).catch(() => undefined) : undefined;
        changes.willWrite(target);
        let ok = false;
        try {
          await this.writeFile(file, content);
          ok = true;
        } finally {
          changes.didWrite({ ...agent, file: target }, before, ok);
        }
      },
    };
  }
}

async function applyAndSave(file: string, content: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: false, label: EDIT_LABEL };
  const edit = new vscode.WorkspaceEdit();
  let doc = openDocument(file);
  if (!doc && fs.existsSync(file)) doc = await vscode.workspace.openTextDocument(uri);
  if (doc) {
    const change = changedRange(doc.getText(), content);
    if (change)
      edit.replace(
        uri,
        new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)),
        change.text,
        metadata,
      );
  } else {
    // A new file is created with its content in one file operation (undoable, makes the missing
    // folders). Creating it empty and inserting left a dirty document whose save raced the
    // creation on disk under load ("could not be saved … changed on disk meanwhile").
    edit.createFile(uri, { contents: Buffer.from(content, 'utf8') }, metadata);
    if (!(await vscode.workspace.applyEdit(edit))) {
      // Created meanwhile (another agent, a command): replace its text like any existing file.
      if (fs.existsSync(file)) return applyAndSave(file, content);
      throw new Error(`the editor refused to create ${file}`);
    }
    return;
  }
  if (edit.size > 0 && !(await vscode.workspace.applyEdit(edit)))
    throw new Error(`the editor refused the edit to ${file}`);
  // Saved like a person's save (the workspace's save settings apply), so disk matches the editor.
  if (doc.isDirty && !(await saveWithRetries(doc))) {
    throw new Error(
      `${file} was changed in the editor but could not be saved (it may have changed on disk meanwhile); the edit is in the editor, unsaved`,
    );
  }
}

/**
 * A save can fail transiently under load (the workbench still settling the document's disk state
 * after another save or a file event — seen as a host-test flake); a real conflict fails every try.
 */
async function saveWithRetries(doc: vscode.TextDocument): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    if (!doc.isDirty || (await doc.save())) return true;
    if (attempt === 3) return false;
    await new Promise((r) => setTimeout(r, 150 * 2 ** attempt));
  }
}

/**
 * The part of `before` to replace so it becomes `after`, whole lines only: the full-text result
 * with the smallest range, so an open editor keeps its cursor, folds and scroll position outside
 * the change, and the undo step covers just what the agent changed. Undefined when equal.
 */
export function changedRange(before: string, after: string): { start: number; end: number; text: string } | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // Back to a line start: never split a \r\n pair or a surrogate pair.
  prefix = prefix === 0 ? 0 : before.lastIndexOf('\n', prefix - 1) + 1;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  // Forward to a line start inside the common suffix (the \n before it is common too).
  let from = before.length - suffix;
  if (from > 0 && before.charCodeAt(from - 1) !== 10 /* \n */) {
    const nl = before.indexOf('\n', from);
    from = nl === -1 ? before.length : nl + 1;
  }
  suffix = before.length - from;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** The open text document of `file`, also when it was opened through a symlinked path. */
function openDocument(file: string): vscode.TextDocument | undefined {
  const same = (a: string, b: string) => (process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase());
  const docs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && !d.isClosed);
  return (
    docs.find((d) => same(d.uri.fsPath, file)) ??
    docs.find((d) => same(path.basename(d.uri.fsPath), path.basename(file)) && same(realPathOr(d.uri.fsPath), file))
  );
}

function realPathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
