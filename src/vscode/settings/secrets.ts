// The Anthropic API key: kept in SecretStorage (the OS keychain on desktop), never in settings;
// ANTHROPIC_API_KEY from the editor's environment is the fallback.
import type * as vscode from 'vscode';
import { windowDialogs, type Dialogs } from '../ui/dialogs';

const KEY = 'dynamicWorkflows.anthropicApiKey';

/** Where the key a run would use comes from. */
export type KeySource = 'secretStorage' | 'environment' | 'none';

/** What Set API Key says about the current key; never any part of the key itself. */
export function describeKeySource(source: KeySource): string {
  switch (source) {
    case 'secretStorage':
      return 'Current key: stored in VS Code secret storage.';
    case 'environment':
      return "Current key: the ANTHROPIC_API_KEY environment variable of VS Code's process (nothing stored).";
    case 'none':
      return 'No key yet: nothing stored and no ANTHROPIC_API_KEY environment variable.';
  }
}

export const KEY_ACTIONS = { replace: 'Enter a New Key', remove: 'Remove the Stored Key' } as const;

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(KEY))?.trim();
    return stored || process.env.ANTHROPIC_API_KEY?.trim() || undefined;
  }

  async source(): Promise<KeySource> {
    if ((await this.secrets.get(KEY))?.trim()) return 'secretStorage';
    return process.env.ANTHROPIC_API_KEY?.trim() ? 'environment' : 'none';
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /**
   * Says where the current key comes from; with a stored key, offers Remove before asking for a
   * new one in a password box. False when the person cancelled.
   */
  async prompt(dialogs: Dialogs = windowDialogs()): Promise<boolean> {
    const source = await this.source();
    const where = describeKeySource(source);
    if (source === 'secretStorage') {
      const fallback = process.env.ANTHROPIC_API_KEY?.trim()
        ? 'runs then use ANTHROPIC_API_KEY'
        : 'runs then need a key again';
      const pick = await dialogs.pick(
        [{ label: KEY_ACTIONS.replace }, { label: KEY_ACTIONS.remove, description: fallback }],
        { title: 'Anthropic API key for Dynamic Workflows', placeHolder: where },
      );
      if (!pick) return false;
      if (pick.label === KEY_ACTIONS.remove) {
        await this.clear();
        return true;
      }
    }
    const key = await dialogs.input({
      title: 'Anthropic API key for Dynamic Workflows',
      prompt: `${where} A new key is stored in VS Code secret storage.${source === 'secretStorage' ? ' Leave empty to remove the stored key.' : ''}`,
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
