// Is bubblewrap usable here? One trial run of the same kind of namespace set-up the commands
// get (PID, IPC and network namespaces, a new /proc), once per process, verdict cached with
// the reason — user namespaces are often denied in containers and by AppArmor, and only a
// real run tells.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SandboxSupport = { available: true; bwrap: string } | { available: false; reason: string };

const BWRAP_HINT =
  'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces, or run as a user that may create namespaces.';

let cached: SandboxSupport | undefined;

/** Finds `bwrap` on PATH (or the usual places); undefined when it is not installed. */
export function findBwrap(envPath = process.env.PATH ?? ''): string | undefined {
  const dirs = [...envPath.split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const dir of dirs) {
    const file = path.join(dir, 'bwrap');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Runs the trial (not cached); `bwrap` overrides the PATH lookup (tests point it at a missing file). */
export function probeSandbox(bwrap: string | undefined = findBwrap()): SandboxSupport {
  if (process.platform !== 'linux')
    return {
      available: false,
      reason: `OS sandboxing is implemented with bubblewrap on Linux only; this is ${process.platform}.`,
    };
  if (!bwrap) return { available: false, reason: `bubblewrap (bwrap) is not installed. ${BWRAP_HINT}` };
  const args = [
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-net',
    '--ro-bind',
    '/',
    '/',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--die-with-parent',
    '--new-session',
    '--',
    'true',
  ];
  const r = spawnSync(bwrap, args, {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) return { available: false, reason: `${bwrap} could not be run (${r.error.message}). ${BWRAP_HINT}` };
  if (r.status !== 0) {
    const why = (r.stderr || `exit ${r.status ?? r.signal}`).trim().split('\n')[0];
    return { available: false, reason: `${bwrap} cannot create namespaces here (${why}). ${BWRAP_HINT}` };
  }
  return { available: true, bwrap };
}

/** The cached verdict for this process. */
export function sandboxSupport(): SandboxSupport {
  cached ??= probeSandbox();
  return cached;
}
