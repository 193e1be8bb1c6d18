// Where "always allow" answers are kept, for every host: the project's .claude/settings.local.json,
// the file Claude Code itself writes them to (personal, not committed), so a rule the person gave
// once applies to the CLI, the editor and Claude Code alike.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function localSettingsFile(workspaceRoot: string): string {
  return path.join(workspaceRoot, '.claude', 'settings.local.json');
}

/**
 * Adds `rules` to permissions.allow (once each), keeping everything else in the file. Throws
 * when the file exists but is not a JSON object: rewriting it would lose what the person wrote,
 * and the answer still holds for the run that got it.
 */
export function persistAllowRules(workspaceRoot: string, rules: string[]): void {
  const file = localSettingsFile(workspaceRoot);
  let data: { permissions?: { allow?: string[] } } = {};
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `${file} is not valid JSON (${(e as Error).message}); the rule ${rules.join(', ')} was not saved`,
        { cause: e },
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`${file} is not a JSON object; the rule ${rules.join(', ')} was not saved`);
    data = parsed as typeof data;
  }
  const existing = Array.isArray(data.permissions?.allow) ? data.permissions.allow : [];
  data.permissions = { ...data.permissions, allow: [...new Set([...existing, ...rules])] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}
