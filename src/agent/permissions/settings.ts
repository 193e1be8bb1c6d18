// Loads `permissions.allow` / `.deny` / `.ask` from Claude Code's settings files — the user's
// `~/.claude/settings.json`, then each workspace root's `.claude/settings.json` and
// `.claude/settings.local.json` — plus rules the host passes (its own settings, `--allow`).
// Every problem names its file (or source) and reason, for the host to show before the run.
// Problems fail closed: a broken allow rule is dropped (fewer commands run unasked), but a file
// that cannot be read or parsed, or a broken deny/ask rule, may hide a deny rule, so it is also
// listed in `fatal` and the host must not start the run. A missing file is normal.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyRuleSet, parseRule, type RuleSet } from './rules';

export const RULE_KINDS = ['allow', 'deny', 'ask'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface ExtraRules {
  /** Shown in problems and reasons, e.g. "--allow" or "dynamicWorkflows.allow". */
  source: string;
  /** Every problem with these rules is fatal (rules typed for this very run, like --allow). */
  strict?: boolean;
  allow?: readonly string[];
  deny?: readonly string[];
  ask?: readonly string[];
}

export interface LoadOptions {
  roots: readonly string[];
  /** Home directory for ~/.claude/settings.json; null skips the user file (tests, sandboxes). */
  home?: string | null;
  /** The personal Claude folder holding the user's settings.json (`$CLAUDE_CONFIG_DIR`); default `<home>/.claude`. */
  configDir?: string;
  extra?: readonly ExtraRules[];
}

export interface LoadedRules {
  rules: RuleSet;
  /** One line per problem, each naming its file or source. */
  problems: string[];
  /** The problems (also in `problems`) that must stop the run from starting. */
  fatal: string[];
  /** Settings files that were read. */
  files: string[];
}

export function settingsFiles(roots: readonly string[], home: string | null, configDir?: string): string[] {
  const personal = home === null ? undefined : (configDir ?? (home ? path.join(home, '.claude') : undefined));
  const files = personal ? [path.join(personal, 'settings.json')] : [];
  for (const root of roots)
    files.push(path.join(root, '.claude', 'settings.json'), path.join(root, '.claude', 'settings.local.json'));
  return files;
}

export async function loadPermissionRules(options: LoadOptions): Promise<LoadedRules> {
  const out: LoadedRules = { rules: emptyRuleSet(), problems: [], fatal: [], files: [] };
  const home = options.home === undefined ? os.homedir() : options.home;
  for (const file of settingsFiles(options.roots, home, options.configDir)) {
    const problems: string[] = [];
    const json = await readJson(file, problems);
    for (const p of problems) report(out, p, true);
    if (json === undefined) continue;
    out.files.push(file);
    addFromSettings(json, file, out);
  }
  for (const extra of options.extra ?? []) {
    for (const kind of RULE_KINDS)
      addRules(extra[kind] ?? [], kind, extra.source, `${extra.source} ${kind}`, out, extra.strict === true);
  }
  return out;
}

function report(out: LoadedRules, problem: string, fatal: boolean): void {
  out.problems.push(problem);
  if (fatal) out.fatal.push(problem);
}

async function readJson(file: string, problems: string[]): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      problems.push(`${file}: cannot be read (${code ?? (e as Error).message}); it may hold deny rules`);
    return undefined;
  }
  if (!text.trim()) return {};
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    problems.push(`${file}: not valid JSON (${(e as Error).message}); it may hold deny rules`);
    return undefined;
  }
}

function addFromSettings(json: unknown, file: string, out: LoadedRules): void {
  if (!isObject(json)) {
    report(out, `${file}: expected a JSON object at the top; it may hold deny rules`, true);
    return;
  }
  const permissions = json.permissions;
  if (permissions === undefined) return;
  if (!isObject(permissions)) {
    report(out, `${file}: "permissions" must be an object; it may hold deny rules`, true);
    return;
  }
  for (const kind of RULE_KINDS) {
    const list = permissions[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      report(
        out,
        `${file}: "permissions.${kind}" must be an array of strings${kind === 'allow' ? '; ignored' : ''}`,
        kind !== 'allow',
      );
    else addRules(list, kind, file, `${file}: permissions.${kind}`, out, false);
  }
}

/** A broken allow rule is dropped; a broken deny or ask rule (or any strict one) is fatal. */
function addRules(
  list: readonly unknown[],
  kind: RuleKind,
  source: string,
  where: string,
  out: LoadedRules,
  strict: boolean,
): void {
  list.forEach((entry, i) => {
    try {
      out.rules[kind].push({ ...parseRule(entry as string), source });
    } catch (e) {
      const fatal = strict || kind !== 'allow';
      report(out, `${where}[${i}]: ${(e as Error).message}${fatal ? '' : '; ignored'}`, fatal);
    }
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
