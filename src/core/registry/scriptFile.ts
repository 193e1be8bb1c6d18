// Reading a workflow script a script (or a cloned repository) named: only a regular .js file inside
// the allowed folders (workspace, saved-workflow folders), symlinks resolved before the check,
// opened without following a last-component symlink or blocking on a FIFO, and read with a byte
// cap that does not trust stat's size (/proc files report 0). An error about a path outside
// quotes nothing of it: the file is never opened.
import { constants, promises as fsp, readlinkSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export type ScriptFileProblem = 'outside' | 'notFound' | 'notRegular' | 'tooLarge' | 'notJs' | 'unreadable';

export class ScriptFileError extends Error {
  override name = 'ScriptFileError';
  constructor(
    readonly problem: ScriptFileProblem,
    message: string,
  ) {
    super(message);
  }
}

const SCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
// Kernel and device trees: never scripts, whatever folder the workspace was opened on (even `/`).
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** True when `file` is `root` or lies below it (both absolute and normalised). */
export function isInside(file: string, root: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch {
    return resolve(p);
  }
}

function isPseudo(p: string): boolean {
  return process.platform !== 'win32' && PSEUDO_ROOTS.some((r) => isInside(p, r));
}

/**
 * The text of `file` (absolute), refused unless it is a regular script file whose real path lies
 * inside one of `allowedRoots`. `shown` names it in messages (what the caller typed).
 */
export async function readScriptFile(
  file: string,
  allowedRoots: readonly string[] | 'anywhere',
  maxBytes: number,
  shown = file,
): Promise<string> {
  const outside = () =>
    new ScriptFileError(
      'outside',
      `workflow({scriptPath}) may only name a script inside the workspace or a saved-workflow folder: ${shown}`,
    );
  if (file.includes('\0') || (process.platform === 'win32' && /^[\\/]{2}/.test(file))) throw outside();
  const lexical = resolve(file);
  // 'anywhere' (a folder the person made, e.g. personal workflows linking to their dotfiles) still
  // excludes the kernel trees.
  const roots =
    allowedRoots === 'anywhere'
      ? [[resolve('/')]]
      : await Promise.all(allowedRoots.map(async (r) => [resolve(r), await realOrSelf(r)]));
  const rootList = roots.flat().filter((r) => !isPseudo(r));
  // Lexically first, so nothing outside is even looked at (no existence probe).
  if (isPseudo(lexical) || !rootList.some((r) => isInside(lexical, r))) throw outside();
  let real: string;
  try {
    real = await fsp.realpath(lexical);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ScriptFileError('notFound', `Workflow script file not found: ${shown}`);
    throw new ScriptFileError(
      'unreadable',
      `Workflow script file ${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  // Symlinks resolved: where the file really is must be inside too.
  if (isPseudo(real) || !rootList.some((r) => isInside(real, r))) throw outside();
  // Type before name, so a folder gets the spec's "not a regular file" (the open re-checks it).
  if (!(await fsp.stat(real)).isFile())
    throw new ScriptFileError('notRegular', `Workflow script file ${shown} is not a regular file`);
  if (!SCRIPT_EXTENSIONS.has(extname(real).toLowerCase())) {
    throw new ScriptFileError('notJs', `Workflow script file ${shown} is not a .js file`);
  }
  return readCappedFile(
    real,
    maxBytes,
    shown,
    (opened) => !isPseudo(opened) && rootList.some((r) => isInside(opened, r)),
  );
}

/**
 * Reads a regular file with at most `maxBytes` bytes. Opened non-blocking (a FIFO cannot hang the
 * host) and without following a symlink; `stillInside` re-checks where the opened file really is
 * (Linux /proc/self/fd), so a folder swapped for a symlink after the check is caught.
 */
export async function readCappedFile(
  file: string,
  maxBytes: number,
  shown = file,
  stillInside?: (real: string) => boolean,
): Promise<string> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScriptFileError('notFound', `Workflow script file not found: ${shown}`);
    if (code === 'ELOOP' || code === 'EISDIR')
      throw new ScriptFileError('notRegular', `Workflow script file ${shown} is not a regular file`);
    throw new ScriptFileError('unreadable', `Workflow script file ${shown} cannot be read (${code ?? 'error'})`);
  }
  try {
    if (!(await handle.stat()).isFile())
      throw new ScriptFileError('notRegular', `Workflow script file ${shown} is not a regular file`);
    if (stillInside && process.platform === 'linux') {
      let opened: string | undefined;
      try {
        opened = readlinkSync(`/proc/self/fd/${handle.fd}`);
      } catch {
        opened = undefined; // no /proc: the realpath check before the open stands alone
      }
      if (opened !== undefined && !stillInside(opened)) {
        throw new ScriptFileError(
          'outside',
          `workflow({scriptPath}) may only name a script inside the workspace or a saved-workflow folder: ${shown}`,
        );
      }
    }
    // A fixed-size buffer, one byte over the cap: the size stat reports is not trusted.
    const buf = Buffer.alloc(maxBytes + 1);
    let total = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buf, total, buf.length - total, null));
      } catch (e) {
        throw new ScriptFileError(
          'unreadable',
          `Workflow script file ${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes)
        throw new ScriptFileError('tooLarge', `Workflow script file ${shown} exceeds ${maxBytes} bytes`);
    }
    return buf.toString('utf8', 0, total);
  } finally {
    await handle.close();
  }
}
