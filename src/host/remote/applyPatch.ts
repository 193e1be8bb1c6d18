// The CLI's way of taking a remote agent's changes: `git apply` in the workspace. A patch already
// in the tree (a conductor that died after applying it, then resumed) is recognised and skipped.
import { execFile } from 'node:child_process';

function git(cwd: string, args: string[], input: string): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) =>
      resolve({ ok: !err, stderr: (stderr || err?.message || '').trim() }),
    );
    child.stdin?.end(input);
  });
}

/** Applies `patch` to the working tree at `root`; throws with git's reason when it does not apply. */
export async function gitApplyPatch(root: string, patch: string): Promise<'applied' | 'already'> {
  const check = await git(root, ['apply', '--check', '--binary', '-'], patch);
  if (!check.ok) {
    const reverse = await git(root, ['apply', '--check', '--reverse', '--binary', '-'], patch);
    if (reverse.ok) return 'already';
    throw new Error(check.stderr);
  }
  const applied = await git(root, ['apply', '--binary', '-'], patch);
  if (!applied.ok) throw new Error(applied.stderr);
  return 'applied';
}
