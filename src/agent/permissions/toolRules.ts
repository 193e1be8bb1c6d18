// Claude Code's rules for the file and fetch tools (code.claude.com/docs/en/permissions, "Read and
// Edit" and "WebFetch"):
//   Read(spec)   applies to every tool that reads files: Read, and Glob and Grep per file
//   Edit(spec)   applies to every tool that edits files; Write(spec), MultiEdit(spec) and
//                NotebookEdit(spec) are taken the same way (Claude Code ignores Write(...) paths;
//                a deny someone wrote must not be a no-op here)
//   A spec follows the gitignore syntax, anchored as Claude Code documents:
//     //path   absolute, from the filesystem root     Read(//etc/**)
//     ~/path   from the home folder                   Read(~/.ssh/**)
//     /path    from the project root (the folder holding the settings file's .claude/; for
//              user settings and --allow, the first workspace folder)   Edit(/src/**/*.ts)
//     path, ./path   from the working directory       Read(./.env), Read(*.env)
//   As in gitignore, a pattern with no slash except a trailing one (`*.env`, `.env`) matches that
//   name at any depth below its base, `**` spans folders, and a pattern matching a folder matches
//   everything inside it.
//   WebFetch(domain:example.com)  requests to example.com (exactly; the port is not compared)
//   WebFetch(domain:*.example.com) its subdomains (not example.com itself); WebFetch(domain:*)
//                and bare WebFetch: every request
// Deny wins over ask, ask over allow.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from './globMatcher';
import type { Rule, RuleSet, ToolRule } from './rules';

export type FileAccess = 'read' | 'edit';

const TOOLS: Record<FileAccess, readonly string[]> = {
  read: ['Read'],
  edit: ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'],
};

/** macOS and Windows file systems are case-insensitive by default; Linux ones are not. */
export const CASE_INSENSITIVE_FS = process.platform === 'darwin' || process.platform === 'win32';

export interface PathBases {
  /** Real paths of the workspace folders; the first is the project root for rules from elsewhere. */
  roots: readonly string[];
  /** Working directory for `path` and `./path` specifiers. */
  cwd: string;
  home: string;
}

export type Verdict = { decision: 'deny' | 'ask' | 'allow'; rule: Rule } | { decision: 'none' };

/** A Read/Edit specifier compiled against its base folder. */
export interface PathMatcher {
  /** Does the rule cover `realPath` (the file itself, or a folder containing it)? */
  matches(realPath: string): boolean;
  /** Does the rule name exactly this file (no wildcards, not a folder above it)? */
  namesExactly(realPath: string): boolean;
}

const compiled = new WeakMap<Rule, PathMatcher | null>();

/** The first deny, then ask, then allow rule for this kind of file access that covers `realPath`. */
export function decideFile(access: FileAccess, realPath: string, rules: RuleSet, bases: PathBases): Verdict {
  for (const decision of ['deny', 'ask', 'allow'] as const) {
    const rule = rules[decision].find((r) => fileRuleApplies(r, access, realPath, bases));
    if (rule) return { decision, rule };
  }
  return { decision: 'none' };
}

/** An allow rule for file edits that names `realPath` exactly: the only way past a protected path. */
export function explicitEditAllow(realPath: string, rules: RuleSet, bases: PathBases): Rule | undefined {
  return rules.allow.find(
    (r) =>
      r.kind === 'tool' &&
      TOOLS.edit.includes(r.tool) &&
      r.specifier !== undefined &&
      matcherFor(r, bases)?.namesExactly(realPath),
  );
}

function fileRuleApplies(rule: Rule, access: FileAccess, realPath: string, bases: PathBases): boolean {
  if (rule.kind !== 'tool' || !TOOLS[access].includes(rule.tool)) return false;
  if (rule.specifier === undefined) return true; // `Read` / `Edit` alone: every file
  return matcherFor(rule, bases)?.matches(realPath) ?? false;
}

function matcherFor(rule: ToolRule, bases: PathBases): PathMatcher | null {
  let m = compiled.get(rule);
  if (m === undefined) {
    m = compilePathRule(rule.specifier ?? '', projectRootFor(rule.source, bases), bases);
    compiled.set(rule, m);
  }
  return m;
}

/** `<root>/.claude/settings*.json` → `<root>`; any other source → the first workspace folder. */
function projectRootFor(source: string | undefined, bases: PathBases): string {
  if (source && /[\\/]\.claude[\\/]settings(\.local)?\.json$/.test(source)) return path.dirname(path.dirname(source));
  return bases.roots[0] ?? bases.cwd;
}

/** Compiles one gitignore-style specifier; null when it is empty. */
export function compilePathRule(
  spec: string,
  projectRoot: string,
  bases: Pick<PathBases, 'cwd' | 'home'>,
): PathMatcher | null {
  let pattern = spec.trim().replace(/\\/g, '/');
  let base: string;
  let anchored = true;
  if (pattern.startsWith('//')) [base, pattern] = ['/', pattern.slice(2)];
  else if (pattern === '~' || pattern.startsWith('~/')) [base, pattern] = [bases.home, pattern.slice(2)];
  else if (pattern.startsWith('/')) [base, pattern] = [projectRoot, pattern.slice(1)];
  else {
    base = bases.cwd;
    if (pattern.startsWith('./')) pattern = pattern.slice(2);
    // gitignore: a slash only at the end leaves the pattern free to match at any depth.
    anchored = pattern.replace(/\/+$/, '').includes('/');
  }
  const dirOnly = pattern.endsWith('/');
  pattern = pattern.replace(/\/+$/, '') || '**'; // `Read(//)`, `Read(~/)`: everything below the base
  const regex = compileGlob(pattern, CASE_INSENSITIVE_FS);
  const tests: ((p: string) => boolean)[] = [];
  const addBase = (b: string, test: (rel: string) => boolean) =>
    tests.push((p) => {
      const rel = relativeInside(p, norm(b));
      return rel !== undefined && test(rel);
    });
  const byPattern = (rel: string) =>
    rel !== '' && candidates(rel, dirOnly).some((c) => regex.test(anchored ? c : (c.split('/').pop() ?? c)));
  addBase(base, byPattern);
  const realBase = realPathOf(base);
  if (realBase && norm(realBase) !== norm(base)) addBase(realBase, byPattern);
  // A rule written through a symbolic link (`secrets/**` where secrets -> vault, `.env` -> a
  // file elsewhere) must cover the real paths the tools see: its literal folders are also taken
  // resolved, and what follows them is matched below the link's target.
  const literal = literalPrefix(pattern);
  const linkTarget = literal ? realPathOf(path.join(base, literal)) : undefined;
  if (linkTarget && norm(linkTarget) !== norm(path.join(base, literal))) {
    const rest = pattern.slice(literal.length).replace(/^\//, '');
    const restRegex = rest ? compileGlob(rest, CASE_INSENSITIVE_FS) : undefined;
    addBase(linkTarget, (rel) =>
      restRegex ? candidates(rel, dirOnly).some((c) => restRegex.test(c)) : !dirOnly || rel !== '',
    );
  }
  const exactTargets =
    !/[*?[\\]/.test(pattern) && !dirOnly
      ? [path.join(base, pattern), linkTarget].filter((p): p is string => !!p).map(norm)
      : [];

  return {
    matches: (realPath) => tests.some((t) => t(norm(realPath))),
    namesExactly: (realPath) => exactTargets.includes(norm(realPath)),
  };
}

/** The file's own relative path (unless only folders may match) and each folder above it. */
function candidates(rel: string, dirOnly: boolean): string[] {
  const parts = rel.split('/');
  const out: string[] = [];
  for (let i = dirOnly ? parts.length - 1 : parts.length; i > 0; i--) out.push(parts.slice(0, i).join('/'));
  return out;
}

function relativeInside(p: string, base: string): string | undefined {
  if (base === '/') return p.replace(/^\/+/, '');
  if (p === base) return '';
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
}

/** Forward slashes, and lower case where the file system ignores case. */
function norm(p: string): string {
  const s = p.replace(/\\/g, '/');
  return CASE_INSENSITIVE_FS ? s.toLowerCase() : s;
}

function realPathOf(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The leading folders of a pattern that hold no wildcard (`src/a/*.ts` → `src/a`). */
function literalPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const lit: string[] = [];
  for (const part of parts) {
    if (/[*?[\\]/.test(part)) break;
    lit.push(part);
  }
  return lit.join('/');
}

// ---- WebFetch(domain:…) ----

/** Host as rules compare it: lower case, no trailing dot, no IPv6 brackets. */
export function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** The first deny, then ask, then allow WebFetch rule that covers `host`. */
export function decideFetch(host: string, rules: RuleSet): Verdict {
  const h = normalizeHost(host);
  for (const decision of ['deny', 'ask', 'allow'] as const) {
    // A specifier we cannot read is ignored in allow, but blocks in deny and ask: fail closed.
    const rule = rules[decision].find(
      (r) => r.kind === 'tool' && r.tool === 'WebFetch' && (domainCovers(r.specifier, h) ?? decision !== 'allow'),
    );
    if (rule) return { decision, rule };
  }
  return { decision: 'none' };
}

/** An allow rule that names exactly this host (no wildcard): what lets a private address through. */
export function explicitFetchAllow(host: string, rules: RuleSet): Rule | undefined {
  const h = normalizeHost(host);
  return rules.allow.find((r) => r.kind === 'tool' && r.tool === 'WebFetch' && domainOf(r.specifier) === h);
}

function domainOf(specifier: string | undefined): string | undefined {
  const m = /^\s*domain:\s*(\S+)\s*$/.exec(specifier ?? '');
  return m ? normalizeHost(m[1]) : undefined;
}

/** true/false when the specifier reads as a domain rule; undefined when it does not. */
function domainCovers(specifier: string | undefined, host: string): boolean | undefined {
  if (specifier === undefined || specifier.trim() === '*') return true;
  const domain = domainOf(specifier);
  if (domain === undefined) return undefined;
  if (domain === '*') return true;
  if (domain.startsWith('*.')) return host.endsWith(domain.slice(1)) && host.length > domain.length - 1;
  return host === domain;
}
