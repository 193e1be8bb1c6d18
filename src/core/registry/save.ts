// Saving a run's script as a reusable workflow (spec §6.1): `<slug(name)>.js`, source unchanged,
// never written through a symlink, never silently replacing a file.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MESSAGES, ScriptError } from '../errors';
import { parseWorkflowScript } from '../script';
import { defaultPersonalDir, projectSaveDir, slugify } from './paths';

export type SaveErrorCode = 'exists' | 'symlink' | 'invalid';

export class SaveError extends Error {
  override name = 'SaveError';
  constructor(
    readonly code: SaveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SaveInput {
  source: string;
  /** Name typed by the person; only the file name derives from it (discovery keys on meta.name). */
  name: string;
  scope: 'project' | 'personal';
  cwd: string;
  repoRoot?: string;
  personalDir?: string;
  overwrite?: boolean;
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

async function refuseSymlinks(paths: string[]): Promise<void> {
  for (const p of paths) if (await isSymlink(p)) throw new SaveError('symlink', MESSAGES.saveSymlink(p));
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes the workflow file; resolves to its absolute path. Throws SaveError. */
export async function saveWorkflow(input: SaveInput): Promise<{ path: string }> {
  const dir =
    input.scope === 'project'
      ? projectSaveDir(input.cwd, input.repoRoot)
      : resolve(input.personalDir ?? defaultPersonalDir());
  const path = join(dir, `${slugify(input.name)}.js`);
  try {
    parseWorkflowScript(input.source, path);
  } catch (e) {
    if (e instanceof ScriptError) throw new SaveError('invalid', e.format());
    throw e;
  }
  // A symlinked project `.claude` or `workflows` folder could point anywhere (a checked-out repo
  // controls them); the personal folder is the person's own, so only its target is checked.
  await refuseSymlinks(input.scope === 'project' ? [dirname(dir), dir, path] : [path]);
  await mkdir(dir, { recursive: true });
  await refuseSymlinks(input.scope === 'project' ? [dirname(dir), dir] : []);
  if (!input.overwrite) {
    try {
      // O_EXCL: fails on any existing entry, symlinks included, with no check-then-write race.
      await writeFile(path, input.source, { encoding: 'utf8', flag: 'wx' });
    } catch (e) {
      if (errno(e) === 'EEXIST') throw new SaveError('exists', MESSAGES.saveExists(path));
      throw e;
    }
    return { path };
  }
  // Overwrite through a rename: it replaces the directory entry and never follows a symlink
  // that might have appeared since the check.
  const temp = join(dir, `.${slugify(input.name)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, input.source, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return { path };
}
