// Which commands may destroy work, so an approval question puts "Deny" first for them rather than
// "Allow once". A small, documented classifier, not a proof: it fails toward "destructive"
// whenever it cannot tell (a command it cannot parse, code run at run time, a program chosen at
// run time, anything behind sudo). A part is destructive when it
//   - deletes, moves over, copies over or rewrites files: rm, rmdir, unlink, shred, mv, cp, dd,
//     truncate, install, ln -f, rsync --delete…, sed/perl -i, tee without -a, find -delete/-exec;
//   - changes owners or modes (chmod, chown, chgrp), kills processes, formats disks, reboots;
//   - rewrites or drops git history or the work tree: git reset --hard, clean, push --force
//     (-f, --force-with-lease, --mirror, --delete, +refspec), checkout/restore of paths,
//     branch -D/-d, stash drop/clear, rebase, filter-branch, reflog expire, update-ref -d, rm;
//   - redirects output over a file with `>` / `>|` / `&>` / `<>` (appending `>>` and /dev/null
//     are harmless).
// Wrappers (`env`, `nohup`, `xargs`, `timeout`…) are looked through: `xargs rm` is rm.
import { splitCommand, type Redirection, type SimpleCommand } from './shell';
import { isWrapper, wrappedForms } from './wrappers';

const basename = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** Programs that destroy or overwrite whatever they are given, with any arguments. */
const ALWAYS: Readonly<Record<string, string>> = {
  rm: 'deletes files',
  rmdir: 'deletes directories',
  unlink: 'deletes a file',
  shred: 'destroys file contents',
  mv: 'moves files, replacing any existing target',
  cp: 'copies files, replacing any existing target',
  dd: 'writes raw data over its target',
  truncate: 'cuts files short',
  install: 'copies files over their targets',
  chmod: 'changes file modes',
  chown: 'changes file owners',
  chgrp: 'changes file groups',
  kill: 'kills processes',
  pkill: 'kills processes',
  killall: 'kills processes',
  sudo: 'runs a command as another user',
  doas: 'runs a command as another user',
  su: 'runs a command as another user',
  reboot: 'restarts the machine',
  shutdown: 'stops the machine',
  halt: 'stops the machine',
  poweroff: 'stops the machine',
  fdisk: 'changes disk partitions',
  parted: 'changes disk partitions',
  wipefs: 'erases disk signatures',
  crontab: 'replaces scheduled jobs',
};

/** Why `argv` (a program and its arguments, no wrapper) may destroy work, or undefined. */
function programReason(argv: readonly string[]): string | undefined {
  const program = basename(argv[0] ?? '');
  const args = argv.slice(1);
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  /** A short-option cluster containing `letter` (`-fr` has f). */
  const short = (letter: string) => args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));
  if (ALWAYS[program]) return `${program} ${ALWAYS[program]}`;
  if (program.startsWith('mkfs')) return `${program} formats a disk`;
  if (program === 'ln' && (short('f') || has('--force'))) return 'ln -f replaces existing files';
  if (program === 'rsync' && args.some((a) => a.startsWith('--delete') || a === '--remove-source-files'))
    return 'rsync deletes files';
  if (
    (program === 'sed' || program === 'perl') &&
    args.some((a) => a === '--in-place' || a.startsWith('--in-place=') || /^-[A-Za-z]*i/.test(a))
  ) {
    return `${program} -i rewrites files in place`;
  }
  if (program === 'tee' && !short('a') && !has('--append') && args.some((a) => !a.startsWith('-')))
    return 'tee overwrites files';
  if (program === 'find' && has('-delete', '-exec', '-execdir', '-ok', '-okdir'))
    return 'find deletes files or runs commands on them';
  if (program === 'git') return gitReason(args);
  if ((program === 'docker' || program === 'podman') && args.some((a) => ['rm', 'rmi', 'prune', 'kill'].includes(a)))
    return `${program} removes containers, images or volumes`;
  if (program === 'kubectl' && has('delete')) return 'kubectl deletes resources';
  return undefined;
}

function gitReason(args: readonly string[]): string | undefined {
  const sub = args.find((a) => !a.startsWith('-'));
  if (!sub) return undefined;
  const rest = args.slice(args.indexOf(sub) + 1);
  const has = (...flags: string[]) => rest.some((a) => flags.includes(a));
  const short = (letter: string) => rest.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));
  switch (sub) {
    case 'reset':
      return has('--hard', '--merge', '--keep') ? 'git reset discards changes' : undefined;
    case 'clean':
      return 'git clean deletes untracked files';
    case 'push':
      return has('--force', '--force-with-lease', '--mirror', '--delete', '--prune') ||
        short('f') ||
        short('d') ||
        rest.some((a) => a.startsWith('+') || a.startsWith('--force-with-lease=') || a.startsWith(':'))
        ? 'git push rewrites or deletes remote history'
        : undefined;
    case 'checkout':
      return has('--', '.', '--force', '--ours', '--theirs') || short('f')
        ? 'git checkout overwrites files in the work tree'
        : undefined;
    case 'restore':
      return 'git restore overwrites files in the work tree';
    case 'branch':
      return has('--delete', '--force') || short('D') || short('d') || short('f')
        ? 'git branch deletes or overwrites branches'
        : undefined;
    case 'stash':
      return has('drop', 'clear') ? 'git stash drops saved changes' : undefined;
    case 'rebase':
    case 'filter-branch':
    case 'filter-repo':
      return `git ${sub} rewrites history`;
    case 'reflog':
      return has('expire', 'delete') ? 'git reflog drops history' : undefined;
    case 'update-ref':
      return short('d') ? 'git update-ref deletes a ref' : undefined;
    case 'rm':
      return 'git rm deletes files';
    case 'gc':
    case 'prune':
      return has('--prune=now', '--aggressive') || sub === 'prune' ? 'git prune drops unreachable objects' : undefined;
    default:
      return undefined;
  }
}

const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);

function redirectReason(r: Redirection): string | undefined {
  if (!r.writes || r.op === '>>' || r.op === '&>>') return undefined;
  if (!r.dynamic && HARMLESS_TARGETS.has(r.target)) return undefined;
  return `\`${r.op}\` overwrites ${r.dynamic ? 'a file named at run time' : r.target}`;
}

function partReason(cmd: SimpleCommand): string | undefined {
  if (cmd.opaque) return `what it runs cannot be seen (${cmd.opaqueReason ?? 'code evaluated at run time'})`;
  if (cmd.dynamic && cmd.argv.length && !cmd.argStatic[0]) return 'the program is chosen at run time';
  for (const r of cmd.redirects) {
    const why = redirectReason(r);
    if (why) return why;
  }
  if (!cmd.argv.length) return undefined;
  const own = programReason(cmd.argv);
  if (own) return own;
  if (!isWrapper(cmd.argv[0])) return undefined;
  // Behind a wrapper the wrapped command may start at any non-option word: any of them counts.
  for (const form of wrappedForms(cmd.argv)) {
    const why = programReason(form);
    if (why) return why;
  }
  return undefined;
}

/**
 * Why `command` may destroy work (one short phrase), or undefined when no part of it is known to.
 * Unparseable input counts as destructive: what cannot be read cannot be called harmless.
 */
export function destructiveReason(command: string): string | undefined {
  const split = splitCommand(command);
  if (!split.ok) return `it cannot be read safely (${split.reason})`;
  for (const cmd of split.commands) {
    const why = partReason(cmd);
    if (why) return why;
  }
  return undefined;
}
