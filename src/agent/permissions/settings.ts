// Loads `permissions.allow` / `.deny` / `.ask` from Claude Code's settings files — the user's
// `~/.claude/settings.json`, then each workspace root's `.claude/settings.json` and
// `.claude/settings.local.json` — plus rules the host passes (its own settings, `--allow`).
// A broken file never stops a run: its rules are ignored and the problem, naming the file, is
// returned for the host to show. A missing file is normal and not a problem.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyRuleSet, parseRule, type RuleSet } from './rules';

export const RULE_KINDS = ['allow', 'deny', 'ask'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface ExtraRules {
  /** Shown in problems and reasons, e.g. "--allow" or "dynamicWorkflows.allow". */
  source: string;
  allow?: readonly string[];
  deny?: readonly string[];
  ask?: readonly string[];
}

export interface LoadOptions {
  roots: readonly string[];
  /** Home directory for ~/.claude/settings.json; null skips the user file (tests, sandboxes). */
  home?: string | null;
  extra?: readonly ExtraRules[];
}

export interface LoadedRules {
  rules: RuleSet;
  /** One line per problem, each naming its file or source. */
  problems: string[];
  /** Settings files that were read. */
  files: string[];
}

export function settingsFiles(roots: readonly string[], home: string | null): string[] {
  const files = home ? [path.join(home, '.claude', 'settings.json')] : [];
  for (const root of roots) files.push(path.join(root, '.claude', 'settings.json'), path.join(root, '.claude', 'settings.local.json'));
  return files;
}

export async function loadPermissionRules(options: LoadOptions): Promise<LoadedRules> {
  const out: LoadedRules = { rules: emptyRuleSet(), problems: [], files: [] };
  const home = options.home === undefined ? os.homedir() : options.home;
  for (const file of settingsFiles(options.roots, home)) {
    const json = await readJson(file, out.problems);
    if (json === undefined) continue;
    out.files.push(file);
    addFromSettings(json, file, out);
  }
  for (const extra of options.extra ?? []) {
    for (const kind of RULE_KINDS) addRules(extra[kind] ?? [], kind, extra.source, `${extra.source} ${kind}`, out);
  }
  return out;
}

async function readJson(file: string, problems: string[]): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${file}: cannot be read (${code ?? (e as Error).message}); its permission rules are ignored`);
    return undefined;
  }
  if (!text.trim()) return {};
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    problems.push(`${file}: not valid JSON (${(e as Error).message}); its permission rules are ignored`);
    return undefined;
  }
}

function addFromSettings(json: unknown, file: string, out: LoadedRules): void {
  if (!isObject(json)) {
    out.problems.push(`${file}: expected a JSON object at the top; its permission rules are ignored`);
    return;
  }
  const permissions = json.permissions;
  if (permissions === undefined) return;
  if (!isObject(permissions)) {
    out.problems.push(`${file}: "permissions" must be an object; its permission rules are ignored`);
    return;
  }
  for (const kind of RULE_KINDS) {
    const list = permissions[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) out.problems.push(`${file}: "permissions.${kind}" must be an array of strings; ignored`);
    else addRules(list, kind, file, `${file}: permissions.${kind}`, out);
  }
}

function addRules(list: readonly unknown[], kind: RuleKind, source: string, where: string, out: LoadedRules): void {
  list.forEach((entry, i) => {
    try {
      out.rules[kind].push({ ...parseRule(entry as string), source });
    } catch (e) {
      out.problems.push(`${where}[${i}]: ${(e as Error).message}; ignored`);
    }
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
