// Without bubblewrap, nothing makes the kernel kill a command when dwf dies (Node has no
// prctl(PR_SET_PDEATHSIG)). So the command runs under a small bash supervisor whose watchdog
// notices that the supervisor's parent is no longer dwf (it was re-parented: dwf is gone,
// SIGKILL included) and kills the whole process group. Only bash and /proc are needed.

/** How often the watchdog looks, in seconds (a `sleep` per look per running command). */
export const WATCHDOG_INTERVAL_S = 0.5;

// $1: dwf's pid; $2: the command. The watchdog reads its parent's parent from
// /proc/<shell>/stat (field 4, after the `(comm)` field) and exits quietly once that process is
// gone. The shell then becomes the command itself (exec), so signals, exit status and $PPID
// are the command's own, as without the watchdog.
const SCRIPT = [
  'dwf_pid=$1; sup=$$',
  '( exec </dev/null >/dev/null 2>&1',
  '  while :; do',
  '    stat=$(cat /proc/$sup/stat 2>/dev/null) || exit 0',
  '    rest=${stat##*) }; set -- $rest',
  `    [ "$2" = "$dwf_pid" ] || { kill -KILL 0; exit 0; }`,
  `    sleep ${WATCHDOG_INTERVAL_S}`,
  '  done ) &',
  'exec bash -c "$2"',
].join('\n');

/** argv for `bash` that runs `command` under the watchdog of `parentPid`. */
export function supervisedArgs(command: string, parentPid: number): string[] {
  return ['-c', SCRIPT, 'dwf-command', String(parentPid), command];
}
