// Files git reads inside a git directory to find its config elsewhere. `commondir` makes git
// read config and hooks from the folder it names (how linked worktrees share their repository's),
// so a command that writes one into the workspace's .git would run code through the next git
// outside the sandbox (core.fsmonitor). Bind mounts can only protect paths that exist, so these
// are watched during the command and compared after it, and put back as they were.
import * as fs from 'node:fs';
import * as path from 'node:path';

const REDIRECTS = ['commondir'];

export interface GitRedirectGuard {
  /** Puts every redirect file back as it was; says what it undid (undefined: nothing changed). */
  restore(): string | undefined;
}

export function gitRedirectGuard(gitDirs: readonly string[]): GitRedirectGuard {
  const before = new Map<string, Buffer | undefined>();
  for (const dir of gitDirs) for (const name of REDIRECTS) before.set(path.join(dir, name), read(path.join(dir, name)));
  const undone = new Set<string>();
  const putBack = (file: string) => {
    const was = before.get(file);
    const now = read(file);
    if (now === undefined ? was === undefined : was !== undefined && now.equals(was)) return;
    try {
      if (was === undefined) fs.rmSync(file, { recursive: true, force: true });
      else fs.writeFileSync(file, was);
      undone.add(file);
    } catch (e) {
      undone.add(`${file} (could not be put back: ${(e as Error).message})`);
    }
  };
  // While the command runs, a redirect is put back the moment it appears, so the window in which
  // another git (the editor's) could follow it is the watcher's latency, not the command's length.
  const watchers = gitDirs.flatMap((dir) => {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name && REDIRECTS.includes(String(name))) putBack(path.join(dir, String(name)));
      });
      w.on('error', () => w.close());
      return [w];
    } catch {
      return []; // no watcher: the check after the command still runs
    }
  });
  return {
    restore() {
      for (const w of watchers) w.close();
      for (const file of before.keys()) putBack(file);
      if (!undone.size) return undefined;
      return `The command changed ${[...undone].join(', ')}, which would make git outside the sandbox read its configuration (and run programs it names) from another folder; it was put back as it was. Agents may not change git's own files.`;
    },
  };
}

function read(file: string): Buffer | undefined {
  try {
    return fs.lstatSync(file).isFile() ? fs.readFileSync(file) : Buffer.from(`\0not a file`);
  } catch {
    return undefined;
  }
}
