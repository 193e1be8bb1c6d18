// The Saved view: saved workflows grouped by origin (project, personal, bundled), from the same
// registry the CLI and workflow() use, so what is listed here is what `dwf run <name>` would run.
// Watches the workflow folders so a file saved, added or deleted by anyone shows up on its own.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  defaultPersonalDir,
  discoverWorkflows,
  markdownCode,
  markdownEscape,
  oneLine,
  type SavedWorkflow,
  type WorkflowOrigin,
} from '../../core';

export type SavedElement = OriginElement | WorkflowElement;
export interface OriginElement {
  readonly kind: 'origin';
  readonly origin: WorkflowOrigin;
}
export interface WorkflowElement {
  readonly kind: 'workflow';
  readonly workflow: SavedWorkflow;
}

const ORIGINS: { origin: WorkflowOrigin; label: string; icon: string; where: string }[] = [
  { origin: 'project', label: 'Project', icon: 'folder', where: '.claude/workflows in this workspace' },
  { origin: 'personal', label: 'Personal', icon: 'account', where: '~/.claude/workflows' },
  { origin: 'plugin', label: 'Plugins', icon: 'extensions', where: 'Claude Code plugins installed and enabled' },
  { origin: 'bundled', label: 'Bundled', icon: 'package', where: 'shipped with the extension' },
];

/** Bursts of file events (a git checkout, a save that writes twice) cause one rescan. */
const RESCAN_DELAY_MS = 200;

class OriginItem extends vscode.TreeItem {
  constructor(origin: (typeof ORIGINS)[number], count: number) {
    super(origin.label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `origin:${origin.origin}`;
    this.description = `${count}`;
    this.tooltip = `${count} workflow${count === 1 ? '' : 's'} — ${origin.where}`;
    this.iconPath = new vscode.ThemeIcon(origin.icon);
    this.contextValue = `savedOrigin.${origin.origin}`;
  }
}

class WorkflowItem extends vscode.TreeItem {
  constructor(wf: SavedWorkflow) {
    super(oneLine(wf.name), vscode.TreeItemCollapsibleState.None);
    this.id = `workflow:${wf.path}`;
    this.description = oneLine(wf.description);
    this.resourceUri = vscode.Uri.file(wf.path);
    this.iconPath = new vscode.ThemeIcon('symbol-event');
    this.contextValue = 'savedWorkflow';
    // A saved workflow may come with a cloned repository: its strings are escaped, never Markdown.
    const md = new vscode.MarkdownString(
      `**${markdownEscape(wf.name)}** — ${wf.origin}\n\n${markdownEscape(wf.description)}`,
    );
    md.isTrusted = false;
    md.supportHtml = false;
    if (wf.whenToUse) md.appendMarkdown(`\n\n*When to use:* ${markdownEscape(wf.whenToUse)}`);
    if (wf.phases.length) md.appendMarkdown(`\n\n*Phases:* ${wf.phases.map(markdownEscape).join(' → ')}`);
    md.appendMarkdown(`\n\n${markdownCode(wf.path)}`);
    this.tooltip = md;
    // A click shows the script; running is a deliberate action (it spends tokens).
    this.command = {
      command: 'dynamicWorkflows.openSaved',
      title: 'Open Workflow',
      arguments: [{ kind: 'workflow', workflow: wf }],
    };
  }
}

export class SavedTreeProvider implements vscode.TreeDataProvider<SavedElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private scan: Promise<SavedWorkflow[]> | undefined;
  private warnings: string[] = [];
  private readonly origins = new Map<WorkflowOrigin, OriginElement>(
    ORIGINS.map((o) => [o.origin, { kind: 'origin', origin: o.origin }]),
  );
  private readonly subscriptions: vscode.Disposable[] = [];
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: { bundledDir?: string; log?: (message: string) => void } = {}) {
    const watchers = [
      vscode.workspace.createFileSystemWatcher('**/.claude/workflows/*.js'),
      vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(defaultPersonalDir()), '*.js'),
      ),
    ];
    for (const w of watchers) {
      this.subscriptions.push(
        w,
        w.onDidCreate(() => this.refreshSoon()),
        w.onDidChange(() => this.refreshSoon()),
        w.onDidDelete(() => this.refreshSoon()),
      );
    }
    this.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  /** Rescans now; callers that just saved a workflow call this instead of waiting for the watcher. */
  refresh(): void {
    this.scan = undefined;
    this.changed.fire(undefined);
  }

  /** The saved workflows as the view lists them (rescanned after a refresh). */
  workflows(): Promise<SavedWorkflow[]> {
    this.scan ??= this.discover();
    return this.scan;
  }

  /** Problems of the last scan (invalid metas, duplicates), as the registry words them. */
  get lastWarnings(): readonly string[] {
    return this.warnings;
  }

  async getChildren(element?: SavedElement): Promise<SavedElement[]> {
    const all = await this.workflows();
    if (!element)
      return ORIGINS.filter((o) => all.some((w) => w.origin === o.origin)).map((o) => this.origins.get(o.origin)!);
    if (element.kind === 'origin')
      return all.filter((w) => w.origin === element.origin).map((workflow) => ({ kind: 'workflow', workflow }));
    return [];
  }

  async getTreeItem(element: SavedElement): Promise<vscode.TreeItem> {
    if (element.kind === 'workflow') return new WorkflowItem(element.workflow);
    const all = await this.workflows();
    return new OriginItem(
      ORIGINS.find((o) => o.origin === element.origin)!,
      all.filter((w) => w.origin === element.origin).length,
    );
  }

  dispose(): void {
    clearTimeout(this.rescanTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private refreshSoon(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => this.refresh(), RESCAN_DELAY_MS);
  }

  /** Every workspace folder's view of the registry; the same file seen from two folders is listed once. */
  private async discover(): Promise<SavedWorkflow[]> {
    const folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath);
    const byPath = new Map<string, SavedWorkflow>();
    const warnings = new Set<string>();
    // No folder open: from the home folder, whose project folder is the personal one (listed once).
    for (const cwd of folders.length ? folders : [os.homedir()]) {
      try {
        const found = await discoverWorkflows({
          cwd,
          personalDir: defaultPersonalDir(),
          bundledDir: this.options.bundledDir,
        });
        for (const w of found.workflows) byPath.set(path.resolve(w.path), w);
        for (const m of found.warnings) warnings.add(m);
      } catch (e) {
        warnings.add(`saved workflows: ${(e as Error).message}`);
      }
    }
    // Logged once each, not on every rescan.
    for (const w of warnings) if (!this.warnings.includes(w)) this.options.log?.(w);
    this.warnings = [...warnings];
    return [...byPath.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
