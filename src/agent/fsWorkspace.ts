// The CLI host's Workspace: plain files on disk. Writes are atomic (a temp file renamed over the
// target), so a killed run or a reader in between never sees half a file, and keep the file's mode.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../core/ports';
import { assertAgentMayWrite, type ApprovedWrites } from './permissions/protected';
import { assertNotSpecialFile, readRegularFile } from './tools/regularFile';

export interface WorkspaceGuardOptions {
  /** The access gate's grants for protected paths; without it every protected write is refused. */
  approvedWrites?: ApprovedWrites;
  /** Runs folders outside the workspace folders (never writable). */
  runsDirs?: readonly string[];
}

export class FsWorkspace implements Workspace {
  readonly roots: string[];

  /** `roots` are the workspace folders; they must exist (they are resolved to real paths here). */
  constructor(
    roots: string[],
    private readonly guard: WorkspaceGuardOptions = {},
  ) {
    if (roots.length === 0) throw new Error('FsWorkspace needs at least one workspace folder');
    this.roots = roots.map((r) => fs.realpathSync(path.resolve(r)));
  }

  async readFile(file: string): Promise<string> {
    return readRegularFile(absolute(file)); // never blocks on a FIFO or reads a device
  }

  async writeFile(file: string, content: string): Promise<void> {
    // Write where a symlink points rather than replacing the link with a regular file.
    const target = await realTarget(absolute(file));
    await assertNotSpecialFile(target); // a FIFO or device is never replaced or written through
    // The port's contract is "inside one of roots"; the path guard checks first, this is the backstop.
    if (!this.contains(target))
      throw new Error(`${target} is outside the workspace folders (${this.roots.join(', ')})`);
    // Backstop under the access gate: the runs folder never, protected paths only when granted.
    assertAgentMayWrite(target, this.roots, this.guard.approvedWrites, this.guard.runsDirs);
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true });
    const mode = await fs.promises.stat(target).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    );
    // Same directory, so the rename stays on one filesystem and is atomic.
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.promises.writeFile(temp, content, { encoding: 'utf8', mode: mode ?? 0o666, flag: 'wx' });
      if (mode !== undefined) await fs.promises.chmod(temp, mode); // the umask may have narrowed it
      await fs.promises.rename(temp, target);
    } catch (e) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async exists(file: string): Promise<boolean> {
    try {
      await fs.promises.access(absolute(file));
      return true;
    } catch {
      return false;
    }
  }

  private contains(p: string): boolean {
    return this.roots.some((root) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  }
}

function absolute(file: string): string {
  if (!path.isAbsolute(file)) throw new Error(`Workspace paths must be absolute: ${file}`);
  return path.normalize(file);
}

/**
 * The real path of `file`, or for a file not yet created, its nearest existing ancestor's real path
 * plus the rest, so a symlinked folder on the way is accounted for.
 */
async function realTarget(file: string): Promise<string> {
  const missing: string[] = [];
  let cur = file;
  for (;;) {
    try {
      return path.join(await fs.promises.realpath(cur), ...missing.reverse());
    } catch (e) {
      const parent = path.dirname(cur);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === cur) throw e;
      missing.push(path.basename(cur));
      cur = parent;
    }
  }
}
