// The bubblewrap command line for one agent command: the host's filesystem read-only, the
// workspace (and the agent's working folder) writable, protected paths inside it read-only
// again, a private /tmp, a minimal /dev, a /proc of its own PID namespace (the host's
// processes — dwf with the key in its memory — are invisible), no network unless allowed.
// Order matters: bwrap applies mounts in sequence, later ones over earlier ones.

export interface SandboxPlan {
  /** Real paths a command may write: workspace roots and the working directory. */
  writable: readonly string[];
  /** Git directories inside `writable` bound onto themselves, so a rename of them fails (EBUSY). */
  pinned?: readonly string[];
  /** Real paths inside `writable` to bind read-only again (must exist). */
  readOnly: readonly string[];
  /** A host directory, private to this dwf process, mounted as the command's /tmp. */
  tmpDir: string;
  /** Share the host's network namespace (else: own namespace with only loopback). */
  network: boolean;
  /** /etc/resolv.conf's real path when it lives under /run (hidden otherwise). */
  resolvConf?: string;
  cwd: string;
}

/** The arguments before `--`; the command follows as `bash -c <command>`. */
export function bwrapArgs(plan: SandboxPlan): string[] {
  const args = [
    '--die-with-parent', // dwf dies (even SIGKILL) → the command dies
    '--new-session', // no controlling terminal: no TIOCSTI keystroke injection
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    ...(plan.network ? [] : ['--unshare-net']),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    // /run holds other programs' sockets (docker, dbus, the user session): none reachable.
    '--tmpfs',
    '/run',
    ...(plan.resolvConf ? ['--ro-bind', plan.resolvConf, plan.resolvConf] : []),
    '--bind',
    plan.tmpDir,
    '/tmp',
  ];
  for (const dir of dedupe(plan.writable)) args.push('--bind', dir, dir);
  for (const dir of dedupe(plan.pinned ?? [])) args.push('--bind', dir, dir);
  for (const p of dedupe(plan.readOnly)) args.push('--ro-bind', p, p);
  args.push('--chdir', plan.cwd, '--setenv', 'TMPDIR', '/tmp');
  return args;
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}
