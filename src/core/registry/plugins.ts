// Claude Code plugins that ship workflows and agents (spec §6.2): each installed and enabled
// plugin — `<configDir>/plugins/installed_plugins.json`, enabled unless `enabledPlugins` in the
// user, project or local settings says false — plus folders named explicitly (`dwf --plugin-dir`).
// A plugin's workflows come from `<plugin>/workflows/` or its manifest's `workflows` field, its
// agents from `<plugin>/agents/` or the manifest's `agents` field; both are namespaced
// `<plugin>:<name>`.
import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';

export interface PluginInfo {
  /** The manifest's `name`, else the folder name: the namespace of its workflows and agents. */
  name: string;
  root: string;
  /** Folders or single `.js` files holding its workflows. */
  workflowPaths: string[];
  /** Folders or single `.md` files holding its agent definitions. */
  agentPaths: string[];
}

export interface PluginOptions {
  /** `$CLAUDE_CONFIG_DIR` or `~/.claude`. */
  configDir: string;
  /** The project whose `.claude/settings*.json` may disable plugins and whose project-scope installs apply. */
  projectRoot?: string;
  /** Plugin folders named explicitly; always enabled. */
  dirs?: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function discoverPlugins(options: PluginOptions): { plugins: PluginInfo[]; warnings: string[] } {
  const warnings: string[] = [];
  const enabled = enabledMap(options, warnings);
  const roots: string[] = [];
  const installed = join(options.configDir, 'plugins', 'installed_plugins.json');
  const registry = readJson(installed, warnings) as { plugins?: Record<string, unknown> } | undefined;
  for (const [id, value] of Object.entries(registry?.plugins ?? {})) {
    if (enabled.get(id) === false) continue;
    // Version 2 keeps a list of installs per plugin (one per scope); version 1 a single object.
    for (const entry of Array.isArray(value) ? value : [value]) {
      const e = entry as { installPath?: unknown; projectPath?: unknown } | null;
      if (!e || typeof e.installPath !== 'string') continue;
      if (
        typeof e.projectPath === 'string' &&
        (!options.projectRoot || resolve(e.projectPath) !== resolve(options.projectRoot))
      )
        continue;
      roots.push(resolve(e.installPath));
    }
  }
  for (const dir of options.dirs ?? []) roots.push(resolve(dir));
  const plugins = new Map<string, PluginInfo>();
  for (const root of roots) {
    const plugin = readPlugin(root, warnings);
    if (plugin && !plugins.has(plugin.name)) plugins.set(plugin.name, plugin);
  }
  return { plugins: [...plugins.values()], warnings };
}

function readPlugin(root: string, warnings: string[]): PluginInfo | undefined {
  if (!isDir(root)) {
    warnings.push(`plugin folder ${root} does not exist; its workflows and agents are not loaded`);
    return undefined;
  }
  const manifestFile = join(root, '.claude-plugin', 'plugin.json');
  const manifest = (readJson(manifestFile, warnings) ?? {}) as Record<string, unknown>;
  const name = typeof manifest.name === 'string' ? manifest.name : basename(root);
  if (!NAME.test(name)) {
    warnings.push(`${manifestFile}: plugin name ${JSON.stringify(name)} is not a plain name; the plugin is skipped`);
    return undefined;
  }
  return {
    name,
    root,
    workflowPaths: contentPaths(root, manifest.workflows, 'workflows', manifestFile, warnings),
    agentPaths: contentPaths(root, manifest.agents, 'agents', manifestFile, warnings),
  };
}

/** The manifest field (a path or a list, relative to the plugin root), else the default folder. */
function contentPaths(
  root: string,
  field: unknown,
  fallback: string,
  manifestFile: string,
  warnings: string[],
): string[] {
  if (field === undefined) return isDir(join(root, fallback)) ? [join(root, fallback)] : [];
  const list = Array.isArray(field) ? field : [field];
  const out: string[] = [];
  for (const p of list) {
    if (typeof p !== 'string' || isAbsolute(p)) {
      warnings.push(
        `${manifestFile}: "${fallback}" entries must be paths relative to the plugin folder; ${JSON.stringify(p)} is ignored`,
      );
      continue;
    }
    const full = resolve(root, p);
    // A manifest cannot point outside its own plugin folder.
    if (full !== root && !full.startsWith(root + sep)) {
      warnings.push(`${manifestFile}: ${JSON.stringify(p)} lies outside the plugin folder; ignored`);
      continue;
    }
    out.push(full);
  }
  return out;
}

/** Later settings win: user, then project, then local. */
function enabledMap(options: PluginOptions, warnings: string[]): Map<string, boolean> {
  const files = [join(options.configDir, 'settings.json')];
  if (options.projectRoot)
    files.push(
      join(options.projectRoot, '.claude', 'settings.json'),
      join(options.projectRoot, '.claude', 'settings.local.json'),
    );
  const map = new Map<string, boolean>();
  for (const file of files) {
    const settings = readJson(file, warnings) as { enabledPlugins?: Record<string, unknown> } | undefined;
    for (const [id, on] of Object.entries(settings?.enabledPlugins ?? {})) if (typeof on === 'boolean') map.set(id, on);
  }
  return map;
}

function readJson(file: string, warnings: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    warnings.push(`${file}: not valid JSON (${(e as Error).message}); ignored for plugins`);
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
