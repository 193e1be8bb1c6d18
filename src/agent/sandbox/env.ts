// Credentials in the environment. Agent commands get none of them: the model's commands have no
// business with dwf's own API key, and any other token they could read would end up in the
// transcript and go to the model. Names, not values, decide (a value cannot be recognised).
import * as fs from 'node:fs';

/** The runtime's own credentials, always hidden. */
export const RUNTIME_SECRET_NAMES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];
const RUNTIME_SECRETS = new RegExp(`^(${RUNTIME_SECRET_NAMES.join('|')})$`);
/** Anything named like a credential: FOO_API_KEY, GH_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD, … */
const CREDENTIAL_NAME =
  /(^|_)(API_?KEY|ACCESS_?KEY|SECRET(_ACCESS)?_?KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|PRIVATE_?KEY|AUTH)(_|$)/i;

export function isCredentialName(name: string): boolean {
  return RUNTIME_SECRETS.test(name) || CREDENTIAL_NAME.test(name);
}

/** A copy of `env` without credential-looking variables, for the commands agents run. */
export function commandEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isCredentialName(k)) out[k] = v;
  return out;
}

/**
 * /proc/<pid>/environ shows the environment block the process was started with, wherever the
 * process moved its variables since: deleting from process.env does not hide a key from any
 * process of the same user. This overwrites the values of `names` in that block (through
 * /proc/self/mem), removes them from process.env, and returns the original values. Linux only;
 * elsewhere (or if /proc/self/mem is not writable) it only removes them from process.env and
 * reports that the block could not be wiped.
 */
export function takeSecretsFromEnvironment(
  names: readonly string[],
  keep: readonly string[] = [],
): { values: Record<string, string>; wiped: boolean } {
  const values: Record<string, string> = {};
  for (const n of names) {
    const v = process.env[n];
    if (v !== undefined) values[n] = v; // copy first: process.env reads the block being wiped
  }
  let wiped = Object.keys(values).length === 0;
  if (!wiped && process.platform === 'linux') {
    try {
      wiped = wipeEnvironBlock(Object.keys(values));
    } catch {
      wiped = false;
    }
  }
  for (const n of Object.keys(values)) delete process.env[n];
  // Kept ones live on in process.env (a fresh copy on the heap, not in the environ block).
  for (const n of keep) if (values[n] !== undefined) process.env[n] = values[n];
  return { values, wiped };
}

/**
 * For `dwf` at start-up: every credential-looking variable is wiped from the environ block; the
 * runtime's own (the API key) leave process.env too and are returned, the others stay usable by
 * dwf's own child processes (git), never by agent commands (commandEnvironment strips them).
 */
export function hideCredentialsFromProc(): Record<string, string> {
  const names = Object.keys(process.env).filter(isCredentialName);
  const others = names.filter((n) => !RUNTIME_SECRETS.test(n));
  const { values } = takeSecretsFromEnvironment(names, others);
  const runtime: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (RUNTIME_SECRETS.test(k)) runtime[k] = v;
  return runtime;
}

function wipeEnvironBlock(names: string[]): boolean {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  const start = Number(fields[50 - 3]);
  const end = Number(fields[51 - 3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) return false;
  const block = Buffer.alloc(end - start);
  const fd = fs.openSync('/proc/self/mem', 'r+');
  try {
    fs.readSync(fd, block, 0, block.length, start);
    let all = true;
    for (const name of names) {
      const entry = Buffer.from(`${name}=`);
      let found = false;
      // Entries are NUL-separated; match only at an entry's start.
      for (let i = block.indexOf(entry); i >= 0; i = block.indexOf(entry, i + 1)) {
        if (i > 0 && block[i - 1] !== 0) continue;
        let j = i + entry.length;
        while (j < block.length && block[j] !== 0) j++;
        block.fill(0x2a, i + entry.length, j); // '*' keeps the block's shape
        fs.writeSync(fd, block, i + entry.length, j - (i + entry.length), start + i + entry.length);
        found = true;
      }
      all &&= found;
    }
    return all;
  } finally {
    fs.closeSync(fd);
  }
}
