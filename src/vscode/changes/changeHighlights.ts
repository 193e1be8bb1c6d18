// Lines agents changed, marked in open editors while the run is fresh: a background, a left border
// and an overview-ruler mark. A file's marks go when the person edits it, when its run is removed
// from the view, or on "Clear Change Highlights".
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ChangeLog } from './changeLog';
import { changedLines, type LineSpan } from './changedLines';

interface Marked {
  runId: string;
  before: string | undefined;
}

export class ChangeHighlights implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    borderColor: new vscode.ThemeColor('editorGutter.addedBackground'),
    borderStyle: 'solid',
    borderWidth: '0 0 0 3px',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  /** Real path → the run whose change is marked and the text before it. */
  private readonly marked = new Map<string, Marked>();
  /** Real path → the lines last decorated (for tests and the benchmark). */
  private readonly decorated = new Map<string, LineSpan[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(changes: ChangeLog) {
    this.subscriptions = [
      changes.onDidChange((w) => {
        this.marked.set(w.file, { runId: w.runId, before: changes.before(w.runId, '', w.file)?.before });
        this.applyTo(w.file);
      }),
      changes.onDidDrop((runId) => {
        for (const [file, m] of this.marked) if (m.runId === runId) this.clear(file);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.marked.forEach((_, file) => this.applyTo(file))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.marked.size === 0 || e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
        const file = realPathOr(e.document.uri.fsPath);
        // The person's edit (or undo) ends the highlight: the marks would no longer say what the agent did.
        if (this.marked.has(file) && !changes.isAgentWriting(file)) this.clear(file);
      }),
    ];
  }

  /** The lines decorated in `file`'s open editors (0-based, inclusive); empty when none. */
  rangesFor(file: string): LineSpan[] {
    return this.decorated.get(realPathOr(file)) ?? [];
  }

  clearAll(): void {
    for (const file of [...this.marked.keys()]) this.clear(file);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.decoration.dispose();
  }

  private applyTo(file: string): void {
    const m = this.marked.get(file);
    if (!m) return;
    for (const editor of editorsOf(file)) {
      const spans = changedLines(m.before, editor.document.getText());
      editor.setDecorations(
        this.decoration,
        spans.map((s) => new vscode.Range(s.start, 0, s.end, 0)),
      );
      this.decorated.set(file, spans);
    }
  }

  private clear(file: string): void {
    this.marked.delete(file);
    this.decorated.delete(file);
    for (const editor of editorsOf(file)) editor.setDecorations(this.decoration, []);
  }
}

function editorsOf(file: string): vscode.TextEditor[] {
  return vscode.window.visibleTextEditors.filter(
    (e) => e.document.uri.scheme === 'file' && realPathOr(e.document.uri.fsPath) === file,
  );
}

function realPathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
