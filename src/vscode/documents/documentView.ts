// Transcripts and run documents, rendered: one webview tab that each Open Transcript / Show Run
// replaces (like an editor's preview tab), so clicking through agents does not pile up tabs. It
// renders the read-only Markdown document RunDocuments serves, with VS Code's own Markdown engine,
// and re-renders when that document changes while a run is live.
//
// Untrusted text stays inert twice over: the document fences or escapes it, and the webview runs
// no scripts, loads no images and allows one command URI only — ours, which opens workspace files.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { oneLine } from '../../core';
import { documentHtml, plainBody } from './documentHtml';
import type { RunDocuments } from './transcriptDocument';
import { OPEN_WORKSPACE_FILE_COMMAND } from './workspaceFileLinks';

export const DOCUMENT_VIEW_TYPE = 'dynamicWorkflows.document';

/** VS Code's built-in Markdown engine (the markdown-language-features extension), as HTML. */
async function renderMarkdown(markdown: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<unknown>('markdown.api.render', markdown);
    if (typeof html === 'string') return html;
  } catch {
    // The built-in Markdown extension is disabled: the text still reads, unrendered.
  }
  return plainBody(markdown);
}

export class DocumentView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: { uri: vscode.Uri; title: string } | undefined;
  private rendered: { uri: string; html: string } | undefined;
  /** Renders are async: only the latest may land. */
  private generation = 0;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly documents: RunDocuments) {
    this.subscription = documents.onDidChange((uri) => {
      if (this.shown && uri.toString() === this.shown.uri.toString()) void this.render();
    });
  }

  /** What the tab shows now (tests read the page through this). */
  get current(): { uri: string; html: string } | undefined {
    return this.panel ? this.rendered : undefined;
  }

  async show(uri: vscode.Uri, title: string, options: { preserveFocus?: boolean } = {}): Promise<void> {
    this.shown = { uri, title: oneLine(title) };
    this.documents.keepLive(uri);
    if (this.panel) this.panel.reveal(this.panel.viewColumn, options.preserveFocus);
    else {
      this.panel = vscode.window.createWebviewPanel(
        DOCUMENT_VIEW_TYPE,
        this.shown.title,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus },
        {
          enableScripts: false,
          enableForms: false,
          enableCommandUris: [OPEN_WORKSPACE_FILE_COMMAND],
          localResourceRoots: [],
          enableFindWidget: true,
        },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.shown = undefined;
        this.rendered = undefined;
        this.documents.keepLive(undefined);
      });
    }
    this.panel.title = this.shown.title;
    await this.render();
  }

  private async render(): Promise<void> {
    const shown = this.shown;
    if (!shown || !this.panel) return;
    const generation = ++this.generation;
    const markdown = this.documents.provideTextDocumentContent(shown.uri);
    const body = await renderMarkdown(markdown);
    if (generation !== this.generation || !this.panel) return;
    const html = documentHtml(shown.title, body, crypto.randomBytes(16).toString('base64'));
    this.panel.webview.html = html;
    this.rendered = { uri: shown.uri.toString(), html };
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
