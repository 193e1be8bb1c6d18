// Settings problems the shared agent assembly found (broken rules, settings files, agent files,
// plugins), shown the editor's way: each in the Workflows log on every run, and a notification
// for the ones not shown before in this session, so a broken file is noticed but does not nag.
import * as vscode from 'vscode';

export class SettingsWarningReporter {
  private readonly told = new Set<string>();
  /** The notifications, oldest first (tests read them). */
  readonly notified: string[] = [];

  constructor(
    private readonly log: { warn(message: string): void },
    private readonly notify: (message: string) => void = (m) => void vscode.window.showWarningMessage(m),
  ) {}

  report(warnings: readonly string[]): void {
    for (const w of warnings) this.log.warn(w);
    const fresh = warnings.filter((w) => !this.told.has(w));
    if (!fresh.length) return;
    for (const w of fresh) this.told.add(w);
    const message = `${fresh.length === 1 ? 'A settings problem' : `${fresh.length} settings problems`}: ${fresh[0]}${fresh.length > 1 ? ' (the rest are in the Workflows log)' : ''}`;
    this.notified.push(message);
    this.notify(message);
  }
}
