// "Always allow" saves a rule for exactly what was approved: ruleFor(cmd) parses back to an exact
// rule that matches cmd and none of its look-alikes (a glob must not become a wildcard rule:
// approving `rm -f *.tmp` once saved `Bash(rm -f *.tmp)`, which then allowed `rm -f -r victimdir a.tmp`).
import assert from 'node:assert/strict';
import { parseRule, ruleFor, splitCommand, type BashRule } from '../../../src/agent/permissions';
import { bashRuleMatches, fullLiteral, fullWords } from '../../../src/agent/permissions/rules';

function matches(rule: string, command: string): boolean {
  const split = splitCommand(command);
  if (!split.ok || split.commands.length !== 1) return false;
  const cmd = split.commands[0];
  return bashRuleMatches(parseRule(rule) as BashRule, fullWords(cmd), cmd.redirects, fullLiteral(cmd));
}

const TABLE: [approved: string, variants: string[]][] = [
  [
    'rm -f *.tmp',
    [
      'rm -f -r victimdir a.tmp',
      'rm -f victimdir *.tmp',
      "rm -f '*.tmp'",
      'rm -f \\*.tmp',
      'rm -f *.tmpx',
      'rm -f *',
      'rm -r *.tmp',
    ],
  ],
  ['ls *', ['ls', 'ls -la', 'ls /etc', "ls '*'", 'lsof *']],
  ['echo a*b c', ['echo axb c', 'echo a*b', 'echo a*b c d', "echo 'a*b' c"]],
  ['git log --format=%H:*', ['git log', 'git log --format=%H:x', 'git log --format=%H:* --all']],
  ['npm run test:*', ['npm run test', 'npm run test:unit', 'npm run testx']],
  ['echo a:*', ['echo a', 'echo a:b']],
  ['git commit -m "fix: a;b"', ['git commit -m "fix: a;b" --amend', 'git commit -m fix:', 'git commit']],
  [
    "echo 'it''s' \"$HOME\"",
    ['echo its $HOME', "echo 'it''s' $HOME", "echo 'it''s' '$HOME'", "echo 'it''s' \"$HOME\" x"],
  ],
  ['printf "a\\\\nb"', ['printf "anb"', 'printf "a\\\\nb" x']],
  ['echo "line one\nline two"', ['echo "line one"', 'echo "line one\nline two" x']],
  ['cat ./a\\ b', ['cat ./a', 'cat ./a b', 'cat ./a\\ b ./c']],
  ['find . -name "*.ts"', ['find . -name "*.js"', 'find . -name "*.ts" -delete', 'find / -name "*.ts"']],
  ['grep -r "a(b)" src', ['grep -r "a(b)" /', 'grep -r a src']],
  ['echo ${HOME}/x', ['echo /root/x', "echo '${HOME}/x'", 'echo ${HOME}/x y']],
  ['NODE_ENV=test npm test', ['NODE_ENV=prod npm test', 'npm test --x']],
];

/** Approved parts that no exact rule can express: "always" falls back to "once". */
const INEXPRESSIBLE = ['echo \\*', '(( x ))', 'a && b', '', '   ', 'cat <<EOF', 'echo "open'];

describe('permissions/ruleFor', () => {
  for (const [approved, variants] of TABLE) {
    it(`${JSON.stringify(approved)} → an exact rule for it alone`, () => {
      const rule = ruleFor(approved);
      assert.ok(rule, 'a rule');
      const parsed = parseRule(rule);
      assert.equal(parsed.kind, 'exact', rule);
      assert.ok(matches(rule, approved), `${rule} must match what was approved`);
      for (const v of variants) assert.ok(!matches(rule, v), `${rule} must not match ${JSON.stringify(v)}`);
    });
  }

  it('gives no rule for what an exact rule cannot say', () => {
    for (const part of INEXPRESSIBLE) assert.equal(ruleFor(part), undefined, JSON.stringify(part));
  });

  it('escapes every star and keeps the rest as written', () => {
    assert.equal(ruleFor('rm -f *.tmp'), 'Bash(rm -f \\*.tmp)');
    assert.equal(ruleFor(' git status '), 'Bash(git status)');
  });
});
