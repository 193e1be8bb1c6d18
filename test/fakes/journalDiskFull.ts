// Preloaded into a spawned `dwf` (NODE_OPTIONS=--require) to fill the disk under its run journal:
// the DWF_TEST_JOURNAL_WRITES-th write to any journal.jsonl, and every one after it, fails with
// ENOSPC as the kernel reports it. Nothing else of the process is touched.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- a preload script has no imports
type Fs = typeof import('node:fs');
type MutableFs = { -readonly [K in keyof Fs]: Fs[K] };

const failAt = Number(process.env.DWF_TEST_JOURNAL_WRITES);
if (Number.isInteger(failAt) && failAt > 0) {
  // The module object itself (not an import namespace copy), so the bundle's fs calls see the patch.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mutable module object, see above
  const fs = require('node:fs') as MutableFs;
  const journalFds = new Set<number>();
  let writes = 0;
  const { openSync, closeSync, writeSync } = fs;
  fs.openSync = ((
    path: Parameters<Fs['openSync']>[0],
    ...rest: [Parameters<Fs['openSync']>[1], Parameters<Fs['openSync']>[2]]
  ) => {
    const fd = openSync(path, ...rest);
    if (String(path).endsWith('journal.jsonl')) journalFds.add(fd);
    return fd;
  }) as Fs['openSync'];
  fs.closeSync = (fd: number) => {
    journalFds.delete(fd);
    closeSync(fd);
  };
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (journalFds.has(fd) && ++writes >= failAt) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    return (writeSync as (fd: number, ...rest: unknown[]) => number)(fd, ...rest);
  }) as Fs['writeSync'];
}
