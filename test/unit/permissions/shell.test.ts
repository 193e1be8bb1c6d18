// The splitter's output itself: what each simple command looks like after parsing.
import assert from 'node:assert/strict';
import { splitCommand, type SimpleCommand } from '../../../src/agent/permissions';

function split(command: string): SimpleCommand[] {
  const r = splitCommand(command);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.commands;
}

describe('permissions/splitCommand', () => {
  it('gives argv after quote removal, in source order, outer command first', () => {
    const cmds = split(`git commit -m "fix: a;b" && echo 'x y' $'\\x41' | grep -v "$(whoami)"`);
    assert.deepEqual(
      cmds.map((c) => c.argv),
      [['git', 'commit', '-m', 'fix: a;b'], ['echo', 'x y', 'A'], ['grep', '-v', '"$(whoami)"'], ['whoami']],
    );
    assert.deepEqual(
      cmds.map((c) => c.dynamic),
      [false, false, true, false],
    );
    assert.deepEqual(
      cmds.map((c) => c.text),
      ['git commit -m "fix: a;b"', "echo 'x y' $'\\x41'", 'grep -v "$(whoami)"', 'whoami'],
    );
  });

  it('keeps env prefixes apart from the words', () => {
    const [c] = split('FOO=1 BAR="a b" npm test');
    assert.deepEqual(c.argv, ['npm', 'test']);
    assert.deepEqual(
      c.assignments.map((a) => [a.name, a.value]),
      [
        ['FOO', '1'],
        ['BAR', 'a b'],
      ],
    );
  });

  it('lists redirections with operator, descriptor and target', () => {
    const [c] = split('make > out.log 2>&1 >> "a b" 2> ~/err <in.txt &>/dev/null 3<> rw');
    assert.deepEqual(
      c.redirects.map((r) => [r.fd ?? null, r.op, r.target, r.writes, r.tilde]),
      [
        [null, '>', 'out.log', true, false],
        [2, '>&', '1', false, false],
        [null, '>>', 'a b', true, false],
        [2, '>', '~/err', true, true],
        [null, '<', 'in.txt', false, false],
        [null, '&>', '/dev/null', true, false],
        [3, '<>', 'rw', true, false],
      ],
    );
  });

  it('gives a compound command’s redirections to every command inside', () => {
    const cmds = split('{ echo a; (echo b); } > out.txt; echo c');
    assert.deepEqual(
      cmds.map((c) => c.redirects.map((r) => r.target)),
      [['out.txt'], ['out.txt'], []],
    );
  });

  it('extracts commands from every nesting: $(…), backticks, <(…), ${…}, $((…)), [[ ]], here-docs, case, loops', () => {
    const names = (command: string) => split(command).map((c) => c.argv[0]);
    assert.deepEqual(names('echo $(a $(b `c`))'), ['echo', 'a', 'b', 'c']);
    assert.deepEqual(names('diff <(a) >(b)'), ['diff', 'a', 'b']);
    assert.deepEqual(names('echo ${x:-$(a)} $(( $(b) + 1 ))'), ['echo', 'a', 'b']);
    assert.deepEqual(names('[[ -f $(a) ]] && (( $(b) ))'), ['a', 'b']);
    assert.deepEqual(names('cat <<EOF\n$(a) `b`\nEOF'), ['cat', 'a', 'b']);
    assert.deepEqual(names('case $(a) in x) b;; *) c;; esac'), ['a', 'b', 'c']);
    assert.deepEqual(names('for i in $(a); do b; done; while c; do d; done; until e; do f; done'), [
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    assert.deepEqual(names('if a; then b; elif c; then d; else e; fi'), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(names('f() { a; }; time ! b | c |& d; coproc e'), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(names('echo "a `echo \\`b\\``"'), ['echo', 'echo', 'b']);
  });

  it('marks dynamic commands with a reason', () => {
    const reasons = (command: string) => split(command).map((c) => c.dynamicReason ?? '');
    assert.match(reasons('$CMD x')[0], /program name/);
    assert.match(reasons('{rm,-rf,x}')[0], /program name/);
    assert.match(reasons('eval ls')[0], /eval/);
    assert.match(reasons('/bin/sh -c ls')[0], /sh -c/);
    assert.match(reasons('bash -ec ls')[0], /bash -c/);
    assert.match(reasons('cat < <(ls)')[0], /substitution/);
    assert.equal(reasons('bash script.sh')[0], '');
    assert.equal(reasons('echo $HOME "$x"')[0], '', 'expansions in arguments are not dynamic');
  });

  it('a bare assignment is a command with no words', () => {
    const [c] = split('x=1');
    assert.deepEqual(c.argv, []);
    assert.deepEqual(
      c.assignments.map((a) => a.name),
      ['x'],
    );
  });

  it('ignores comments and blank input', () => {
    assert.deepEqual(split('# nothing\n\n'), []);
    assert.deepEqual(split('').length, 0);
  });

  it('refuses what it cannot parse', () => {
    for (const bad of [
      'echo "open',
      "echo 'open",
      'a &&',
      'echo $(a',
      'echo `a',
      'if a; then b',
      'a | | b',
      ')',
      'x'.repeat(100_001),
    ]) {
      const r = splitCommand(bad);
      assert.equal(r.ok, false, bad.slice(0, 40));
      assert.ok(!r.ok && r.reason.length > 0);
    }
  });
});
