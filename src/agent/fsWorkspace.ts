// The CLI host's Workspace: plain files on disk. Writes are atomic (a temp file renamed over the
// target), so a killed run or a reader in between never sees half a file, and keep the file's mode.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../core/ports';
import { assertNotSpecialFile, readRegularFile } from './tools/regularFile';
import {
  absoluteWorkspacePath,
  checkedWriteTarget,
  existsOnDisk,
  type WorkspaceGuardOptions,
} from './workspaceBackstop';

export type { WorkspaceGuardOptions };

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
    return readRegularFile(absoluteWorkspacePath(file)); // never blocks on a FIFO or reads a device
  }

  async writeFile(file: string, content: string): Promise<void> {
    // On the physical path: a symlink is written through rather than replaced by a regular file.
    const target = checkedWriteTarget(file, this.roots, this.guard);
    await assertNotSpecialFile(target); // a FIFO or device is never replaced or written through
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

  exists(file: string): Promise<boolean> {
    return existsOnDisk(file);
  }
}
