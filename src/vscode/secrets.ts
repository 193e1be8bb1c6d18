// The Anthropic API key: kept in SecretStorage (the OS keychain on desktop), never in settings;
// ANTHROPIC_API_KEY from the editor's environment is the fallback.
import * as vscode from 'vscode';

const KEY = 'dynamicWorkflows.anthropicApiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(KEY))?.trim();
    return stored || process.env.ANTHROPIC_API_KEY?.trim() || undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /** Asks for the key in a password box; false when the person cancelled. */
  async prompt(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Anthropic API key for Dynamic Workflows',
      prompt: 'Stored in VS Code secret storage. Leave empty to remove the stored key.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-ant-…',
    });
    if (key === undefined) return false;
    if (key.trim() === '') await this.clear();
    else await this.set(key);
    return true;
  }
}
