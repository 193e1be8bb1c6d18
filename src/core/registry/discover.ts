// Discovery of saved workflows (spec §6.2): bundled < personal < project, project folders from
// the repo root down to cwd with the closest winning, keyed by meta.name, sorted by name.
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MESSAGES, ScriptError } from '../errors';
import { MAX_SCRIPT_BYTES, readMeta } from '../script';
import { defaultConfigDir, defaultPersonalDir, findRepoRoot, projectWorkflowDirs, workspaceRootsOf } from './paths';
import { discoverPlugins } from './plugins';
import { readScriptFile, ScriptFileError } from './scriptFile';
import type { RegistryOptions, SavedWorkflow, WorkflowOrigin } from './types';

export interface Source {
  origin: WorkflowOrigin;
  dir: string;
  /** Only these files of `dir` (a plugin manifest naming single scripts). */
  files?: string[];
  /** A plugin's name: its workflows are listed as `<plugin>:<meta.name>`. */
  plugin?: string;
}

/** Every folder to scan, lowest precedence first. */
export function workflowSources(options: RegistryOptions, warnings: string[] = []): Source[] {
  const sources: Source[] = [];
  if (options.bundledDir) sources.push({ origin: 'bundled', dir: resolve(options.bundledDir) });
  const repoRoot = options.repoRoot ?? findRepoRoot(options.cwd);
  const found = discoverPlugins({
    configDir: options.configDir ?? defaultConfigDir(),
    projectRoot: repoRoot,
    dirs: options.pluginDirs,
  });
  warnings.push(...found.warnings);
  for (const plugin of found.plugins) {
    for (const p of plugin.workflowPaths) {
      sources.push(
        p.endsWith('.js')
          ? { origin: 'plugin', dir: dirname(p), files: [basename(p)], plugin: plugin.name }
          : { origin: 'plugin', dir: p, plugin: plugin.name },
      );
    }
  }
  const personal = resolve(options.personalDir ?? defaultPersonalDir());
  sources.push({ origin: 'personal', dir: personal });
  for (const dir of projectWorkflowDirs(options.cwd, repoRoot)) {
    // Working in the home folder makes ~/.claude/workflows look like a project folder too.
    if (dir !== personal) sources.push({ origin: 'project', dir });
  }
  return sources;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** First line of the error plus where it points, short enough for a one-line warning. */
function describeError(e: unknown): string {
  if (e instanceof ScriptError) {
    const first = e.message.split('\n')[0];
    return e.line ? `${first} (line ${e.line}, column ${e.column ?? 1})` : first;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Where a saved workflow's real file may lie. A project folder is a stranger's (a cloned repo may
 * hold `x.js -> /proc/self/environ`): its links must stay in the workspace. Personal and bundled
 * folders are the person's: their links are followed anywhere but the kernel trees.
 */
export function savedScriptRoots(source: Source, options: RegistryOptions): string[] | 'anywhere' {
  return source.origin === 'project' ? [source.dir, ...workspaceRootsOf(options)] : 'anywhere';
}

async function readWorkflow(
  source: Source,
  path: string,
  warnings: string[],
  options: RegistryOptions,
): Promise<SavedWorkflow | undefined> {
  // `warnings` is private to this file's read, so concurrent reads cannot reorder messages.
  let text: string;
  try {
    // Only a regular file, never more than the cap (a FIFO or /proc file cannot hang or flood us).
    text = await readScriptFile(path, savedScriptRoots(source, options), MAX_SCRIPT_BYTES);
  } catch (e) {
    if (e instanceof ScriptFileError && e.problem === 'notRegular') return undefined;
    if (e instanceof ScriptFileError && e.problem === 'tooLarge')
      warnings.push(MESSAGES.savedTooLarge(path, MAX_SCRIPT_BYTES));
    else if (e instanceof ScriptFileError && e.problem === 'outside') warnings.push(MESSAGES.savedOutside(path));
    else warnings.push(MESSAGES.savedUnreadable(path, describeError(e)));
    return undefined;
  }
  try {
    const meta = readMeta(text, path);
    return {
      name: source.plugin ? `${source.plugin}:${meta.name}` : meta.name,
      ...(source.plugin ? { plugin: source.plugin } : {}),
      description: meta.description,
      ...(meta.whenToUse !== undefined ? { whenToUse: meta.whenToUse } : {}),
      phases: meta.phases.map((p) => p.title),
      origin: source.origin,
      path,
    };
  } catch (e) {
    warnings.push(MESSAGES.invalidSavedWorkflow(path, describeError(e)));
    return undefined;
  }
}

/** The valid workflows of one folder; a missing folder is simply empty. */
async function scanSource(source: Source, warnings: string[], options: RegistryOptions): Promise<SavedWorkflow[]> {
  let names: string[];
  try {
    names = await readdir(source.dir);
  } catch (e) {
    if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR')
      warnings.push(MESSAGES.savedUnreadable(source.dir, describeError(e)));
    return [];
  }
  // Only *.js: .mjs/.cjs/.ts are someone else's files. Sorted so duplicates resolve the same way every time.
  const files = names.filter((n) => n.endsWith('.js') && (!source.files || source.files.includes(n))).sort();
  const found = await Promise.all(
    files.map(async (n) => {
      const own: string[] = [];
      return { wf: await readWorkflow(source, join(source.dir, n), own, options), own };
    }),
  );
  const byName = new Map<string, SavedWorkflow>();
  for (const { wf, own } of found) {
    warnings.push(...own);
    if (!wf) continue;
    const earlier = byName.get(wf.name);
    if (earlier) warnings.push(MESSAGES.duplicateSavedWorkflow(wf.name, earlier.path, wf.path));
    else byName.set(wf.name, wf);
  }
  return [...byName.values()];
}

/**
 * All saved workflows visible from `options.cwd`. A file with an invalid meta is skipped with a
 * warning, so a lower-precedence copy of the same name stays visible.
 */
export async function discoverWorkflows(
  options: RegistryOptions,
): Promise<{ workflows: SavedWorkflow[]; warnings: string[] }> {
  const warnings: string[] = [];
  const sources = workflowSources(options, warnings);
  const perSource = sources.map(() => [] as string[]);
  const scanned = await Promise.all(sources.map((s, i) => scanSource(s, perSource[i], options)));
  warnings.push(...perSource.flat());
  const byName = new Map<string, SavedWorkflow>();
  for (const list of scanned) for (const wf of list) byName.set(wf.name, wf);
  const workflows = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { workflows, warnings };
}

/** The workflow `name` would run (exact meta.name match), or undefined. */
export async function findWorkflow(name: string, options: RegistryOptions): Promise<SavedWorkflow | undefined> {
  const { workflows } = await discoverWorkflows(options);
  return workflows.find((w) => w.name === name);
}
