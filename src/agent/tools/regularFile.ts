// The file tools touch regular files (and directories where they list), nothing else: opening a
// FIFO blocks until a writer comes (forever, in a worker thread SIGTERM cannot interrupt) and a
// device such as /dev/zero never ends. Everything is stat'ed before it is opened; where an open
// cannot be avoided it is non-blocking, and the descriptor is checked before any read.
import * as fs from 'node:fs';

/** What kind of special file this is, in words for the model; undefined for a file or directory. */
export function specialKind(stat: fs.Stats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function specialFileMessage(file: string, kind: string): string {
  return `${file} is ${kind}, not a regular file; the file tools only read and write regular files (reading it could block forever). Leave it alone or inspect it with \`ls -l\` through Bash.`;
}

/** The refusal for a path that exists and is neither a regular file nor a directory; undefined otherwise (missing included). */
export async function specialFileRefusal(file: string): Promise<string | undefined> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file); // stat never opens the file, so it cannot block on a FIFO
  } catch {
    return undefined;
  }
  const kind = specialKind(stat);
  return kind === undefined ? undefined : specialFileMessage(file, kind);
}

/** Throws the refusal for a special file (the Workspace backstop before a write). */
export async function assertNotSpecialFile(file: string): Promise<void> {
  const refusal = await specialFileRefusal(file);
  if (refusal) throw new Error(refusal);
}

/**
 * Reads a regular file as UTF-8. The open is non-blocking (a FIFO without a writer opens at once
 * instead of hanging) and the open descriptor is checked, so a path swapped for a FIFO or device
 * between a stat and this read is refused too.
 */
export async function readRegularFile(file: string): Promise<string> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(specialFileMessage(file, specialKind(stat) ?? 'a directory'));
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Whether a listed path is a FIFO, device or socket (so listings leave it out); false when it cannot be stat'ed. */
export function isSpecialFile(file: string): boolean {
  try {
    return specialKind(fs.statSync(file)) !== undefined;
  } catch {
    return false;
  }
}
