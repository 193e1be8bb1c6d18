// The live checks of workflow scripts in the Problems panel (collection 'dynamicWorkflows.authoring'):
// what authoringProblems() finds, with the runtime's messages, refreshed a moment after each edit
// and when an agent file or saved workflow appears or goes. Each diagnostic keeps its quick fixes
// for the code action provider (authoringFixes.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { authoringProblems, type AuthoringFix, type AuthoringProblem } from '../../core';
import { isWorkflowDocument } from '../scripts/scriptDocs';
import { KeyedDebounce } from '../ui/keyedDebounce';
import { authoringContextFor } from './scriptContext';

const DELAY_MS = 300;

export interface CheckedProblem {
  diagnostic: vscode.Diagnostic;
  fixes: AuthoringFix[];
}

/** A workflow script: `export const meta` first, or any .js file in a `.claude/workflows` folder. */
export function isCheckedDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' || !doc.uri.path.endsWith('.js')) return false;
  return isWorkflowDocument(doc) || doc.uri.path.includes('/.claude/workflows/');
}

export function rangeOf(p: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
}

function diagnosticOf(p: AuthoringProblem): vscode.Diagnostic {
  // Errors: each of these makes the run throw when it gets there.
  const d = new vscode.Diagnostic(rangeOf(p), p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'workflow';
  d.code = p.code;
  return d;
}

export class AuthoringDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('dynamicWorkflows.authoring');
  private readonly problems = new Map<string, CheckedProblem[]>();
  private readonly debounce: KeyedDebounce;
  /** The latest check of each document: an older one that finishes later must not win. */
  private readonly generation = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  private readonly bundledDir?: string;
  private readonly log: (message: string) => void;

  constructor(options: { bundledDir?: string; log?: (message: string) => void; delayMs?: number } = {}) {
    this.bundledDir = options.bundledDir;
    this.log = options.log ?? (() => undefined);
    this.debounce = new KeyedDebounce(options.delayMs ?? DELAY_MS);
    const watcher = vscode.workspace.createFileSystemWatcher('**/.claude/{agents,workflows}/**');
    const recheckAll = () => {
      for (const d of vscode.workspace.textDocuments) if (this.problems.has(d.uri.toString())) this.schedule(d);
    };
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(recheckAll),
      watcher.onDidDelete(recheckAll),
      watcher.onDidChange(recheckAll),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    ];
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /** The problems (with their fixes) last shown for a document. */
  problemsOf(uri: vscode.Uri): readonly CheckedProblem[] {
    return this.problems.get(uri.toString()) ?? [];
  }

  /** Checks now (tests and the quick fixes call it; edits go through the debounce). */
  async check(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    if (!isCheckedDocument(doc)) {
      this.problems.delete(key);
      this.collection.delete(doc.uri);
      return;
    }
    const context = await authoringContextFor(doc, this.bundledDir);
    if (doc.isClosed || this.generation.get(key) !== generation) return;
    const found = authoringProblems(doc.getText(), context).map((p) => ({
      diagnostic: diagnosticOf(p),
      fixes: p.fixes,
    }));
    this.problems.set(key, found);
    this.collection.set(
      doc.uri,
      found.map((f) => f.diagnostic),
    );
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || path.extname(doc.uri.fsPath) !== '.js') return;
    this.debounce.schedule(doc.uri.toString(), () => {
      if (!doc.isClosed)
        this.check(doc).catch((e: unknown) =>
          this.log(`Live checks of ${doc.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`),
        );
    });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debounce.cancel(key);
    this.generation.delete(key);
    this.problems.delete(key);
    this.collection.delete(uri);
  }
}
