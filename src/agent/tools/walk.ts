// File listing shared by Glob and Grep: tinyglobby over disk (both hosts keep disk current), the
// usual noise left out, symlinks not followed, and every hit checked by the path guard so a
// pattern like `../**` cannot list or read outside the workspace.
import { glob } from 'tinyglobby';
import type { ToolContext } from './context';

const NOISE = ['node_modules', '.git'];

/** Ignore node_modules and .git unless the patterns name them, which means the model wants them. */
export function defaultIgnores(patterns: string[]): string[] {
  return NOISE.filter((dir) => !patterns.some((p) => p.includes(dir))).map((dir) => `**/${dir}/**`);
}

export async function listFiles(
  ctx: ToolContext,
  dir: string,
  patterns: string[],
  ignore: string[] = [],
): Promise<string[]> {
  const found = await glob(patterns, {
    cwd: dir,
    absolute: true,
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
    // Not followed, as ripgrep does by default: a link could lead out of the workspace or loop.
    followSymbolicLinks: false,
    ignore: [...defaultIgnores(patterns), ...ignore],
    signal: ctx.signal,
  });
  return found.sort();
}

/** Whether the guard accepts a listed file (false for anything that resolves outside). */
export function insideWorkspace(ctx: ToolContext, file: string): boolean {
  try {
    return ctx.paths.resolve(file).ok;
  } catch {
    return false;
  }
}
