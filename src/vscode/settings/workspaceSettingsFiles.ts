// The workspace's own settings files, read raw: VS Code drops machine- and application-scoped keys
// from a workspace's configuration, so `inspect()` cannot tell that `.vscode/settings.json` (or the
// `.code-workspace` file) tries to set one. Reading the files is how the person is told their
// repository carries such a value and that it was ignored. The files are parsed with jsonc-parser,
// the parser VS Code reads them with, so comments, trailing commas, a BOM and a broken file mean
// here what they mean to VS Code.
import * as fs from 'node:fs';
import { parse, type ParseError } from 'jsonc-parser';
import * as path from 'node:path';

export interface SettingsFile {
  file: string;
  scope: 'workspace' | 'folder';
}

/** Values of `keys` (full ids like `dynamicWorkflows.baseUrl`) that the file sets, flat or nested. */
export function valuesIn(
  file: SettingsFile,
  keys: readonly string[],
  settingsOf: (json: unknown) => unknown = (j) => j,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let text: string;
  try {
    text = fs.readFileSync(file.file, 'utf8');
  } catch {
    return out;
  }
  // A broken file still sets what VS Code reads of it (it reports the error itself).
  const json = settingsOf(parseJsonc(text));
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
export function workspaceSettingsFiles(
  folders: readonly string[],
  workspaceFile: string | undefined,
): { files: SettingsFile[]; workspaceFile?: SettingsFile } {
  const scope = folders.length > 1 || workspaceFile ? 'folder' : 'workspace';
  return {
    files: folders.map((f) => ({ file: path.join(f, '.vscode', 'settings.json'), scope })),
    workspaceFile: workspaceFile ? { file: workspaceFile, scope: 'workspace' } : undefined,
  };
}

/** JSON with comments and trailing commas, as VS Code reads settings: whatever parses, despite errors elsewhere. */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  return parse(text, errors, { allowTrailingComma: true }) as unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
