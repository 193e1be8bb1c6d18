// The git directories inside a writable root that git outside the sandbox will obey later: the
// root's own `.git`, nested repositories' `.git` folders or pointer files (vendored clones,
// test fixtures), and bare repositories (HEAD + objects/ + refs/, which git discovers on its own).
// Found by a walk that follows no symlink and does not descend into a git directory or
// node_modules (package managers leave no repositories there, and it is most of a big tree's
// folders: the walk runs before every command).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GitDirs {
  /** Git directories (a repository's `.git` folder or a bare repository). */
  dirs: string[];
  /** `.git` files (worktree and submodule pointers: rewritten, git obeys another folder), with what they said. */
  pointers: { file: string; content: string | undefined }[];
  /** The walk stopped at `limit` folders; deeper repositories were not looked for. */
  truncated: boolean;
}

/** Folders visited per root at most, so a huge tree cannot stall every command. */
export const GIT_DIR_WALK_LIMIT = 20_000;

export function gitDirsIn(root: string, limit = GIT_DIR_WALK_LIMIT): GitDirs {
  const out: GitDirs = { dirs: [], pointers: [], truncated: false };
  const queue = [root];
  let visited = 0;
  while (queue.length) {
    const dir = queue.shift()!;
    if (++visited > limit) {
      out.truncated = true;
      break;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or gone: nothing git could read there either
    }
    if (dir !== root && isBareRepository(entries)) {
      out.dirs.push(dir);
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.name === '.git') {
        if (e.isDirectory()) out.dirs.push(p);
        else if (e.isFile()) out.pointers.push({ file: p, content: readSmall(p) });
      } else if (e.isDirectory() && e.name !== 'node_modules') queue.push(p);
    }
  }
  return out;
}

/** What git's discovery accepts as a bare repository: HEAD, objects/ and refs/ side by side. */
function isBareRepository(entries: fs.Dirent[]): boolean {
  const has = (name: string, dir: boolean) =>
    entries.some((e) => e.name === name && (dir ? e.isDirectory() : e.isFile()));
  return has('HEAD', false) && has('objects', true) && has('refs', true);
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return undefined;
  }
}
