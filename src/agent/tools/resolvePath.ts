// Every file path a tool touches goes through the PathGuard first; a refusal becomes the tool's
// error result so the model learns why (outside the workspace, symlink escape…) instead of failing
// silently or reaching outside.
import * as fs from 'node:fs';
import type { ToolContext, ToolResult } from './context';
import { toolError } from './define';

export type Resolved = { ok: true; real: string } | { ok: false; result: ToolResult };

export function resolvePath(ctx: ToolContext, path: string): Resolved {
  if (path.trim() === '') return { ok: false, result: toolError('The path is empty.') };
  let check;
  try {
    check = ctx.paths.resolve(path);
  } catch (e) {
    return { ok: false, result: toolError(`Cannot resolve ${path}: ${e instanceof Error ? e.message : String(e)}`) };
  }
  return check.ok ? { ok: true, real: check.real } : { ok: false, result: toolError(check.reason) };
}

/** `stat` from disk (listing and metadata are read from disk by both hosts); undefined if missing. */
export async function statOrUndefined(path: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(path);
  } catch {
    return undefined;
  }
}
