// The workspace's own settings files, read raw: VS Code drops machine- and application-scoped keys
// from a workspace's configuration, so `inspect()` cannot tell that `.vscode/settings.json` (or the
// `.code-workspace` file) tries to set one. Reading the files is how the person is told their
// repository carries such a value and that it was ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SettingsFile {
  file: string;
  scope: 'workspace' | 'folder';
}

/** Values of `keys` (full ids like `dynamicWorkflows.baseUrl`) that the file sets, flat or nested. */
export function valuesIn(file: SettingsFile, keys: readonly string[], settingsOf: (json: unknown) => unknown = (j) => j): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let text: string;
  try {
    text = fs.readFileSync(file.file, 'utf8');
  } catch {
    return out;
  }
  let json: unknown;
  try {
    json = settingsOf(parseJsonc(text));
  } catch {
    return out; // VS Code reports a broken settings file itself
  }
  if (!isObject(json)) return out;
  for (const key of keys) {
    if (json[key] !== undefined) out.set(key, json[key]);
    else {
      // `{ "dynamicWorkflows": { "baseUrl": … } }` is read by VS Code as the same key.
      const dot = key.indexOf('.');
      const section = json[key.slice(0, dot)];
      if (isObject(section) && section[key.slice(dot + 1)] !== undefined) out.set(key, section[key.slice(dot + 1)]);
    }
  }
  return out;
}

/** `.vscode/settings.json` of each folder, and the `settings` of a `.code-workspace` file. */
export function workspaceSettingsFiles(folders: readonly string[], workspaceFile: string | undefined): { files: SettingsFile[]; workspaceFile?: SettingsFile } {
  const scope = folders.length > 1 || workspaceFile ? 'folder' : 'workspace';
  return {
    files: folders.map((f) => ({ file: path.join(f, '.vscode', 'settings.json'), scope })),
    workspaceFile: workspaceFile ? { file: workspaceFile, scope: 'workspace' } : undefined,
  };
}

/** JSON with comments and trailing commas, as VS Code writes settings. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(withoutTrailingCommas(withoutComments(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)));
}

function withoutComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function withoutTrailingCommas(text: string): string {
  const closing = /\s*[}\]]/y;
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    closing.lastIndex = i + 1;
    if (c === ',' && closing.test(text)) {
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Index just past the string literal starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
