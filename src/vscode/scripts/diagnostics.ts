// Problems of a workflow script while it is typed: every check the engine makes before running
// (parse errors, meta rules, TypeScript syntax, import, export, `with`, reserved names) with the
// spec's messages from ScriptError, at its line and column; plain syntax errors only where
// TypeScript's JavaScript service does not already mark them (scriptCheck.ts). Debounced per document.
import * as vscode from 'vscode';
import type { ScriptError } from '../../core';
import { reportedByTypeScript, scriptProblem } from './scriptCheck';
import { KeyedDebounce } from '../ui/keyedDebounce';
import { isWorkflowDocument } from './scriptDocs';

const DELAY_MS = 300;

/** The diagnostic for a ScriptError: the word starting at (or around) its position, else one character. */
export function diagnosticFor(doc: vscode.TextDocument, e: ScriptError): vscode.Diagnostic {
  const line = Math.min(Math.max((e.line ?? 1) - 1, 0), doc.lineCount - 1);
  const text = doc.lineAt(line).text;
  const col = Math.min(Math.max((e.column ?? 1) - 1, 0), text.length);
  const at = new vscode.Position(line, col);
  // A word touching the position from the left is not the offending token: the character is.
  const word = doc.getWordRangeAtPosition(at);
  const range =
    word && word.end.character > col
      ? word
      : col < text.length
        ? new vscode.Range(at, at.translate(0, 1))
        : new vscode.Range(line, Math.max(0, col - 1), line, col);
  const d = new vscode.Diagnostic(range, e.message, vscode.DiagnosticSeverity.Error);
  d.source = 'workflow';
  return d;
}

export class ScriptDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('dynamicWorkflows');
  private readonly debounce: KeyedDebounce;
  private readonly subscriptions: vscode.Disposable[];

  constructor(delayMs = DELAY_MS) {
    this.debounce = new KeyedDebounce(delayMs);
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    ];
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  check(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !doc.uri.path.endsWith('.js')) return;
    if (!isWorkflowDocument(doc)) {
      this.collection.delete(doc.uri);
      return;
    }
    const problem = scriptProblem(doc);
    this.collection.set(doc.uri, problem && !reportedByTypeScript(doc, problem) ? [diagnosticFor(doc, problem)] : []);
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    this.debounce.schedule(doc.uri.toString(), () => {
      if (!doc.isClosed) this.check(doc);
    });
  }

  private forget(uri: vscode.Uri): void {
    this.debounce.cancel(uri.toString());
    this.collection.delete(uri);
  }
}
