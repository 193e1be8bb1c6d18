// Where a command works: the workspace root (nearest `.git`), its runs folder and the registry
// folders. The personal folder (core/registry personalFolder, the rule the editor uses too) comes
// from the CLI's environment, not process.env, so tests and embedders can point it elsewhere.
import * as path from 'node:path';
import { FileRunStore, findRepoRoot, personalFolder, type RegistryOptions } from '../core';
import type { CliIo } from './io';

export interface CliWorkspace {
  cwd: string;
  root: string;
  store: FileRunStore;
  /** `$CLAUDE_CONFIG_DIR` or `~/.claude`. */
  configDir: string;
  /** What `~` means in rules and paths. */
  home: string;
  registry: RegistryOptions & { repoRoot: string; personalDir: string; configDir: string };
}

/** `pluginDirs`: `--plugin-dir` folders, relative to the working directory. */
export function workspaceOf(io: CliIo, pluginDirs: readonly string[] = []): CliWorkspace {
  const cwd = path.resolve(io.cwd);
  const root = findRepoRoot(cwd);
  const { configDir, home, workflowsDir } = personalFolder(io.env, cwd);
  return {
    cwd,
    root,
    store: FileRunStore.forWorkspace(root),
    configDir,
    home,
    registry: {
      cwd,
      repoRoot: root,
      personalDir: workflowsDir,
      configDir,
      pluginDirs: pluginDirs.map((d) => path.resolve(cwd, d)),
      ...(io.bundledDir && !bundledDisabled(io.env) ? { bundledDir: io.bundledDir } : {}),
    },
  };
}

/** Claude Code's switch that hides the bundled skills and workflows (spec §5 related settings). */
function bundledDisabled(env: Record<string, string | undefined>): boolean {
  return /^(1|true|yes)$/i.test(env.CLAUDE_CODE_DISABLE_BUNDLED_SKILLS ?? '');
}

/** A path as the person would type it from cwd (absolute when it lies elsewhere). */
export function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
