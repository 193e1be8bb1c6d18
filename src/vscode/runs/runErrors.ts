// A failed run's script error in the editor's face (issue 10 item 3): a notification with
// "Go to Error" and "Show Run", the Go to Error command itself, and a `dynamicWorkflows.runtime`
// diagnostic on the error's line that stays until that document is edited or its script runs again.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { notificationText, type ErrorInfo, type ErrorLocation } from '../../core';
import { errorHeadline } from '../ui/format';
import type { RunController, RunSession } from './runController';
import type { RunsElement } from './runsTree';
import { SHOW_RUN_COMMAND } from './runsTreeItems';

const GO_TO_ERROR = 'Go to Error';
const SHOW_RUN = 'Show Run';

/** Where a failed run's error is: the document and its (1-based) location there. */
export interface ErrorSite {
  uri: vscode.Uri;
  location: ErrorLocation;
}

/**
 * The document the error points into: the script as the person opened it (a resumed run executes
 * a stored copy under the run's folder, whose frames name that copy), or a child workflow's file.
 */
export function errorSite(session: RunSession): ErrorSite | undefined {
  const location = session.result?.error?.location;
  if (!location) return undefined;
  if (location.file === session.script.file) return { uri: session.file, location };
  return path.isAbsolute(location.file) ? { uri: vscode.Uri.file(location.file), location } : undefined;
}

/** What a notification about the failure offered, kept for tests (they cannot click). */
export interface FailureNotice {
  runId: string;
  message: string;
  actions: string[];
}

export class RuntimeErrors implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('dynamicWorkflows.runtime');
  readonly notices: FailureNotice[] = [];
  private readonly seenEnd = new WeakSet<RunSession>();
  private readonly seenStart = new WeakSet<RunSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly controller: RunController) {
    this.subscriptions = [
      controller.onDidChange((c) => {
        if (!c.nodeIds) this.onRunChange(c.session);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Any edit can move or fix the line: the marker would point at the wrong place.
        if (e.contentChanges.length && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
    ];
  }

  /** Opens the script at the error of the run named by a tree element or id (default: the newest failed run). */
  async goToError(target?: RunsElement | string): Promise<boolean> {
    const runId = typeof target === 'string' ? target : target?.runId;
    const session = runId
      ? this.controller.get(runId)
      : this.controller
          .list()
          .filter((s) => errorSite(s))
          .pop();
    const site = session && errorSite(session);
    if (!site) {
      void vscode.window.showInformationMessage('This run has no script error with a location to go to.');
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(site.uri);
    const at = positionIn(doc, site.location);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: false });
    return true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private onRunChange(session: RunSession): void {
    if (!session.result) {
      // A new run (or resume) of the script: the old error no longer describes it.
      if (!this.seenStart.has(session)) this.collection.delete(session.file);
      this.seenStart.add(session);
      return;
    }
    if (this.seenEnd.has(session)) return;
    this.seenEnd.add(session);
    if (session.result.status !== 'failed' || !session.result.error) return;
    const site = errorSite(session);
    this.notify(session, session.result.error, site);
    if (site) void this.mark(session, session.result.error, site);
  }

  private notify(session: RunSession, error: ErrorInfo, site: ErrorSite | undefined): void {
    const where = site
      ? ` at ${vscode.workspace.asRelativePath(site.uri)}:${site.location.line}:${site.location.column}`
      : '';
    // The message quotes the script's error text: no link, no hidden character.
    const message = notificationText(`Workflow ${session.name} failed${where}: ${errorHeadline(error)}`);
    const actions = site ? [GO_TO_ERROR, SHOW_RUN] : [SHOW_RUN];
    this.notices.push({ runId: session.runId, message, actions });
    void vscode.window.showErrorMessage(message, ...actions).then((pick) => {
      if (pick === GO_TO_ERROR) void this.goToError(session.runId);
      else if (pick === SHOW_RUN) void vscode.commands.executeCommand(SHOW_RUN_COMMAND, session.runId);
    });
  }

  /** The marker, only while the document reads as the script that ran (else the line may be another). */
  private async mark(session: RunSession, error: ErrorInfo, site: ErrorSite): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(site.uri);
    if (site.uri.fsPath === session.file.fsPath && doc.getText().replace(/\r\n/g, '\n') !== session.script.source)
      return;
    const at = positionIn(doc, site.location);
    const word = doc.getWordRangeAtPosition(at);
    const range = word ?? new vscode.Range(at, at.translate(0, at.character < doc.lineAt(at.line).text.length ? 1 : 0));
    const d = new vscode.Diagnostic(
      range,
      `${errorHeadline(error)} (run ${session.runId})`,
      vscode.DiagnosticSeverity.Error,
    );
    d.source = 'workflow run';
    this.collection.set(site.uri, [d]);
  }
}

/** The 1-based location as a position inside the document. */
function positionIn(doc: vscode.TextDocument, loc: ErrorLocation): vscode.Position {
  const line = Math.min(Math.max(loc.line - 1, 0), doc.lineCount - 1);
  return new vscode.Position(line, Math.min(Math.max(loc.column - 1, 0), doc.lineAt(line).text.length));
}
