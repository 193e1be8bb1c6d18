// The remote engine's URL (issue 13) holds the database password: kept in SecretStorage like the
// API key, DWF_ENGINE_URL from the editor's environment as the fallback, shown only masked.
import type * as vscode from 'vscode';
import { windowDialogs, type Dialogs } from '../ui/dialogs';

const KEY = 'dynamicWorkflows.engineUrl';
export const ENGINE_ENV = 'DWF_ENGINE_URL';

export type EngineUrlSource = 'secretStorage' | 'environment' | 'none';

/** The URL with its password replaced by `***` (the same masking as src/host/remote's, without loading it). */
export function maskedEngineUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<engine url>';
  }
}

/** Why `url` is not an engine URL, or undefined when it is one. */
export function engineUrlProblem(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
      return 'The engine URL is a PostgreSQL connection string: postgresql://user:password@host:port/database';
    return undefined;
  } catch {
    return 'Not a URL: postgresql://user:password@host:port/database';
  }
}

export class EngineUrlStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(KEY))?.trim();
    return stored || this.env[ENGINE_ENV]?.trim() || undefined;
  }

  async source(): Promise<EngineUrlSource> {
    if ((await this.secrets.get(KEY))?.trim()) return 'secretStorage';
    return this.env[ENGINE_ENV]?.trim() ? 'environment' : 'none';
  }

  async set(url: string): Promise<void> {
    const problem = engineUrlProblem(url.trim());
    if (problem) throw new Error(problem);
    await this.secrets.store(KEY, url.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /** Asks for the URL in a password box (the current one named masked); false when cancelled. */
  async prompt(dialogs: Dialogs = windowDialogs()): Promise<boolean> {
    const current = await this.get();
    const source = await this.source();
    const where =
      source === 'none'
        ? 'No remote engine yet.'
        : `Current engine: ${maskedEngineUrl(current ?? '')} (${source === 'secretStorage' ? 'stored in VS Code secret storage' : `${ENGINE_ENV} of VS Code's process`}).`;
    const url = await dialogs.input({
      title: 'Remote engine for Dynamic Workflows',
      prompt: `${where} The engine's PostgreSQL URL is stored in VS Code secret storage; start workers on it with 'dwf worker'.`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'postgresql://user:password@host:5432/dwf',
      validateInput: (v) => (v.trim() ? engineUrlProblem(v.trim()) : undefined),
    });
    if (url === undefined || !url.trim()) return false;
    await this.set(url);
    return true;
  }
}
