// Without bubblewrap, nothing makes the kernel kill a command when dwf dies (Node has no
// prctl(PR_SET_PDEATHSIG)). So the command runs under a small bash supervisor whose watchdog
// notices that the supervisor's parent is no longer dwf (it was re-parented: dwf is gone,
// SIGKILL included) and kills the whole process group. Only bash and /proc are needed.

/** How often the watchdog looks, in seconds (a `sleep` per look per running command). */
export const WATCHDOG_INTERVAL_S = 0.5;

// $1: dwf's pid; $2: the command. The watchdog reads the supervisor's parent from
// /proc/<supervisor>/stat (field 4, after the `(comm)` field); it exits quietly when the
// supervisor is gone, and the supervisor stops it when the command ends.
const SCRIPT = [
  'dwf_pid=$1; sup=$$',
  '( exec </dev/null >/dev/null 2>&1',
  '  while :; do',
  '    stat=$(cat /proc/$sup/stat 2>/dev/null) || exit 0',
  '    rest=${stat##*) }; set -- $rest',
  `    [ "$2" = "$dwf_pid" ] || { kill -KILL 0; exit 0; }`,
  `    sleep ${WATCHDOG_INTERVAL_S}`,
  '  done ) &',
  'watchdog=$!',
  'bash -c "$2"',
  'status=$?',
  'kill $watchdog 2>/dev/null',
  'exit $status',
].join('\n');

/** argv for `bash` that runs `command` under the watchdog of `parentPid`. */
export function supervisedArgs(command: string, parentPid: number): string[] {
  return ['-c', SCRIPT, 'dwf-command', String(parentPid), command];
}
