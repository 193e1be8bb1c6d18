// Differential test of the Bash gate against real bash: a seeded generator builds hundreds of
// compound commands (run-time evaluation tricks — arithmetic on variables holding `a[$(…)]`,
// subscripts, indirection, @P, test -v, eval, source, traps, aliases — mixed with harmless
// pipelines, subshells, functions, here-docs, process substitution). Every command runs in bash
// with a PATH holding only recording shims; whatever the checker allows must have executed
// nothing but programs the rules allow (and never the denied `rm`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCommand, parseRule, type RuleSet } from '../../../src/agent/permissions';

const BASH = ['/bin/bash', '/usr/bin/bash'].find((b) => fs.existsSync(b));
const SHIMS = ['rm', 'touch', 'curl', 'cat', 'ls', 'git', 'whoami', 'id', 'mkdir', 'xargs', 'sh', 'date', 'head'];

// Prefix rules for builtins that evaluate text as code: the checker must not let them through.
const ALLOW = [
  'echo',
  'printf',
  'cat',
  'ls',
  'test',
  '[',
  'read',
  'declare',
  'local',
  'export',
  'let',
  'set',
  'shopt',
  'alias',
  'trap',
  'unset',
  'mapfile',
  'compgen',
  'hash',
  'source',
  '.',
  'eval',
  'head',
];
const RULES: RuleSet = {
  allow: [...ALLOW.map((p) => parseRule(`Bash(${p}:*)`)), parseRule('Bash(true)'), parseRule('Bash(:)')],
  deny: [parseRule('Bash(rm:*)')],
  ask: [],
};
/** Programs (shims) an allow rule names; anything else that ran slipped past the gate. */
const ALLOWED_PROGRAMS = new Set(ALLOW);

/** Ways to get code into a variable: the value never shows `$(` to a naive check. */
const PAYLOADS = [
  `x='a[$(touch pwned)]'`,
  `d='$'; x="a[\${d}(touch pwned)]"`,
  `d='$'; x="a[\${d}(rm -f victim)]"`,
  `x=$'a[\\x24(touch pwned)]'`,
  `read -r x <<< 'a[$(touch pwned)]'`,
  `read -r x < payload.txt`,
  `printf -v x '%s' 'a[$(touch pwned)]'`,
  `declare x='a[$(rm -f victim)]'`,
  `IFS= read -r x <<'EOF'\na[$(touch pwned)]\nEOF`,
  `x="$(cat payload.txt)"`,
  `x='$(touch pwned)'`,
];

/** Constructs that evaluate the variable `x` (or use it to name code). */
const TRIGGERS = [
  '(( x ))',
  'echo $((x))',
  'echo $(( $x + 1 ))',
  'echo $[x]',
  '[[ $x -eq 1 ]]',
  '[[ x -lt 2 ]]',
  'for ((i=x; i<1; i++)); do :; done',
  'a=(1); echo ${a[x]}',
  'a=(1); echo "${a[$x]}"',
  'a[x]=1',
  'a=([x]=1)',
  'echo ${!x}',
  'echo ${x@P}',
  'test -v "$x"',
  'a=(1); [ -v "$x" ]',
  '[[ -v $x ]]',
  'v=-v; [ "$v" "$x" ]',
  'let x',
  'declare -i z=x',
  'printf -v "$x" hi',
  'read "$x" <<< hi',
  'RANDOM=x',
  'OPTIND=x',
  'eval "$x"',
  'eval "(( $x ))"',
  'trap "$x" EXIT',
  's=abc; echo ${s:x}',
  'set -- 1; echo ${@:x}',
  'declare -n r=x; echo $r',
  'local_() { local -i z=$x; }; local_',
  'exec {a[x]}>/dev/null',
  'y=$x; (( y ))',
  'case $((x)) in *) : ;; esac',
  'compgen -W "$x" a',
  'export y; declare -n r=x; r=1',
  'echo "${a[@]:x}"',
  'unset "a[$x]"',
];

/** Constructs that run code without a variable. */
const DIRECT = [
  'source ./payload.sh',
  '. ./payload.sh',
  `eval 'touch pwned'`,
  `trap 'touch pwned' EXIT`,
  `shopt -s expand_aliases\nalias ls='touch pwned'\nls`,
  `mapfile -C 'touch pwned' -c 1 arr <<< a`,
  `compgen -W '$(touch pwned)' a`,
  `set -- 'a[$(touch pwned)]'; (( $1 ))`,
  `hash -p ./payload.sh ls; ls`,
  `x=touch; $x pwned`,
  `builtin eval 'touch pwned'`,
  `command eval 'rm -f victim'`,
  `echo ok | xargs touch`,
  `PATH=.:$PATH; payload.sh`,
  `f() { touch pwned; }; f`,
  `echo $(touch pwned)`,
  `cat <(touch pwned)`,
  `cat <<EOF\n$(touch pwned)\nEOF`,
  'sh -c "touch pwned"',
  `rm -f victim`,
  `/bin/rm -f victim`,
];

/** Visible to the checker but not allowed (or not run): asks or denies. */
const OTHER = [
  'g() { echo in; }; g',
  'echo $(echo nested)',
  'cat <(echo ps)',
  'while false; do touch pwned; done',
  'if false; then rm -f victim; fi',
  'git status',
  'whoami',
];

const HARMLESS = [
  'echo hi',
  'true',
  ':',
  'cat file.txt',
  'ls',
  'ls -la',
  'echo $((1 + 2))',
  'echo $[3 * 4]',
  '[[ -f file.txt ]] && echo yes',
  'f=file.txt; [ -f "$f" ] && echo there',
  '[ "$HOME" = "/nowhere" ] || echo differs',
  `printf '%s\\n' a b`,
  'read -r line <<< hi; echo "$line"',
  'arr=(a b); echo "${arr[@]}" ${#arr[@]} ${arr[0]}',
  'for f in a b; do echo $f; done',
  'case a in a) echo a;; esac',
  '{ echo a; echo b; } | cat',
  '(echo sub)',
  'cat <<EOF\nhello $HOME\nEOF',
  "cat <<'EOF'\n$(touch pwned)\nEOF",
  'echo a > out.txt',
  'ls | head -n 1',
  'set -euo pipefail',
  'x=1; echo $x',
  's=hello; echo ${s:1:2} ${s^^} ${s@Q}',
  'declare y=2; echo $y',
  'test -f file.txt',
  'echo a && echo b || echo c',
  "echo 'a[$(touch pwned)]'",
  'shopt -s nullglob; echo *.none',
];

/** A deterministic PRNG (mulberry32), so a failure reproduces from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const segment = (): string => {
    const r = random();
    if (r < 0.35) return `${pick(PAYLOADS)}\n${pick(TRIGGERS)}`;
    if (r < 0.5) return pick(DIRECT);
    if (r < 0.6) return pick(OTHER);
    return pick(HARMLESS);
  };
  const wrap = (body: string): string => {
    switch (Math.floor(random() * 9)) {
      case 0:
        return `( ${body}\n)`;
      case 1:
        return `{ ${body}\n}`;
      case 2:
        return `if true; then ${body}\nfi`;
      case 3:
        return `h() { ${body}\n}; h`;
      case 4:
        return `for k in 1; do ${body}\ndone`;
      case 5:
        return `echo "$( ${body}\n)"`;
      case 6:
        return `${body}\n` + pick(HARMLESS);
      default:
        return body;
    }
  };
  const joins = ['; ', ' && ', '\n', ' || ', ' | '];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, () => wrap(segment()));
    // Harmless commands alone make sure a good share of the corpus is allowed.
    out.push(random() < 0.3 ? pick(HARMLESS) : parts.reduce((a, b) => `${a}${pick(joins)}${b}`));
  }
  return out;
}

describe('permissions/differential: what the checker allows, real bash runs only allowed programs', function () {
  this.timeout(180_000);
  let tmp: string;
  let bin: string;
  let runs = 0;

  before(function () {
    if (!BASH) this.skip();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-diff-')));
    bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    for (const name of SHIMS) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\n' "\${0##*/} $*" >> "$DIFF_LOG"\n`, {
        mode: 0o755,
      });
    }
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  /** The checker's decision for `command` in a fresh workspace, and the programs (shims) bash ran. */
  function check(command: string): { decision: string; ran: string[] } {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const decision = checkCommand(command, RULES, { roots: [ws], cwd: ws, home: ws }).decision;
    fs.writeFileSync(path.join(ws, 'file.txt'), 'x\n');
    fs.writeFileSync(path.join(ws, 'victim'), 'keep\n');
    fs.writeFileSync(path.join(ws, 'payload.txt'), 'a[$(touch pwned)]\n');
    fs.writeFileSync(path.join(ws, 'payload.sh'), 'touch pwned\n', { mode: 0o755 });
    // A log per command: a straggler of an earlier one (a process substitution) writes to its own.
    const log = path.join(tmp, `exec-${runs++}.log`);
    fs.writeFileSync(log, '');
    spawnSync(BASH!, ['-c', command], {
      cwd: ws,
      env: { PATH: bin, DIFF_LOG: log, HOME: ws },
      timeout: 5000,
      stdio: 'ignore',
    });
    const ran = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    fs.rmSync(ws, { recursive: true, force: true });
    return { decision, ran: ran.filter((line) => !ALLOWED_PROGRAMS.has(line.split(' ')[0])) };
  }

  it('holds over a seeded corpus of generated compound commands', () => {
    const seed = Number(process.env.DWF_DIFF_SEED ?? 20240607);
    const corpus = generate(Number(process.env.DWF_DIFF_COUNT ?? 250), seed);
    let allowed = 0;
    let attacks = 0;
    const slipped: string[] = [];
    for (const command of corpus) {
      const { decision, ran: forbidden } = check(command);
      if (forbidden.length) attacks++;
      if (decision !== 'allow') continue;
      allowed++;
      if (forbidden.length) slipped.push(`${JSON.stringify(command)} ran ${forbidden.join(', ')}`);
    }
    assert.deepEqual(slipped, [], `seed ${seed}: allowed commands ran programs no rule allows`);
    // Not vacuous: many commands are allowed, and many of the others really do run forbidden programs.
    assert.ok(allowed >= corpus.length * 0.25, `only ${allowed} of ${corpus.length} allowed`);
    assert.ok(attacks >= corpus.length * 0.25, `only ${attacks} of ${corpus.length} ran a forbidden program`);
  });

  it('no trigger or direct trick is allowed; in bash a sample of them really runs a forbidden program', () => {
    const pairs = PAYLOADS.flatMap((payload) => TRIGGERS.map((trigger) => `${payload}\n${trigger}`));
    const escaped = [...pairs, ...DIRECT].filter((command) => checkCommand(command, RULES).decision === 'allow');
    assert.deepEqual(escaped, []);
    // Every 7th pair (a spread over payloads and triggers): bash's documented behaviour, not a guess.
    const sample = pairs.filter((_, i) => i % 7 === 0);
    const ranNothing = sample.filter((command) => check(command).ran.length === 0);
    assert.ok(
      ranNothing.length < sample.length * 0.4,
      `${ranNothing.length} of ${sample.length} pairs ran nothing:\n${ranNothing.join('\n---\n')}`,
    );
  });

  it('harmless commands are allowed (the checker is not simply asking for everything)', () => {
    const asked = HARMLESS.filter((c) => check(c).decision !== 'allow');
    assert.deepEqual(asked, []);
  });
});
