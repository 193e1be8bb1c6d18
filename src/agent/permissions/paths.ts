// The path guard for file tools and shell redirections: where would a write really land?
// `..` is resolved physically, the way the kernel does (`link/..` is the parent of the link's
// target, not of the link), and every existing symbolic link on the way is followed, including
// a dangling last one (writing through it would create its target). Callers must then do
// their I/O on `real`, so what was checked is what gets touched.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type PathCheck = { ok: true; real: string } | { ok: false; reason: string };

/** Symbolic links followed before giving up, as Linux does (ELOOP). */
const MAX_LINKS = 40;

export function resolveInWorkspace(
  target: string,
  roots: readonly string[],
  cwd: string,
  home: string = os.homedir(),
): PathCheck {
  if (target === '') return { ok: false, reason: 'the path is empty' };
  if (target.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  let p = target;
  if (p === '~' || p.startsWith('~/') || p.startsWith(`~${path.sep}`)) p = home + p.slice(1);
  else if (p.startsWith('~'))
    return { ok: false, reason: `${target}: "~user" paths are not supported; use an absolute path` };
  // Concatenate without normalizing: `..` must be resolved after the symlinks before it.
  const abs = path.isAbsolute(p) ? p : `${path.resolve(cwd)}${path.sep}${p}`;
  const resolved = physicalPath(abs);
  if ('error' in resolved) return { ok: false, reason: `${target}: ${resolved.error}` };
  const realRoots = roots.map((r) => {
    const rr = physicalPath(path.resolve(r));
    return 'error' in rr ? path.resolve(r) : rr.real;
  });
  if (realRoots.some((root) => isInside(resolved.real, root))) return { ok: true, real: resolved.real };
  const where = realRoots.length
    ? `the workspace folders (${realRoots.join(', ')})`
    : 'any workspace folder (none is open)';
  const lands =
    resolved.real === target
      ? `${target} is`
      : `${target} resolves${resolved.viaLink ? ' through a symbolic link' : ''} to ${resolved.real}, which is`;
  return { ok: false, reason: `${lands} outside ${where}; only paths inside them are allowed` };
}

/** The tools' PathGuard (src/agent/tools/context.ts) for one working directory. */
export function pathGuardFor(
  roots: readonly string[],
  cwd: string,
  home?: string,
): { resolve(path: string): PathCheck } {
  return { resolve: (p: string) => resolveInWorkspace(p, roots, cwd, home) };
}

export function isInside(child: string, root: string): boolean {
  const norm = (s: string) => (process.platform === 'win32' ? s.toLowerCase() : s);
  const rel = path.relative(norm(root), norm(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function components(p: string): string[] {
  return p.split(process.platform === 'win32' ? /[\\/]+/ : /\/+/).filter((c) => c !== '' && c !== '.');
}

/** Resolves an absolute path component by component, following symlinks and then `..`. */
function physicalPath(abs: string): { real: string; viaLink: boolean } | { error: string } {
  const { root } = path.parse(abs);
  let cur = root;
  let pending = components(abs.slice(root.length));
  let links = 0;
  let viaLink = false;
  while (pending.length) {
    const comp = pending.shift() as string;
    if (comp === '..') {
      cur = path.dirname(cur); // `cur` is already physical, so its parent is too
      continue;
    }
    const next = path.join(cur, comp);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        return { error: `cannot inspect ${next} (${code ?? (e as Error).message})` };
    }
    if (!stat?.isSymbolicLink()) {
      cur = next; // existing file or directory, or not there yet (a new file or folder)
      continue;
    }
    if (++links > MAX_LINKS) return { error: 'too many levels of symbolic links' };
    viaLink = true;
    const link = fs.readlinkSync(next);
    const linkRoot = path.parse(link).root;
    if (path.isAbsolute(link)) cur = linkRoot;
    pending = [...components(path.isAbsolute(link) ? link.slice(linkRoot.length) : link), ...pending];
  }
  return { real: cur, viaLink };
}
