// Rule syntax (Claude Code's) and how a Bash rule matches one simple command.
import assert from 'node:assert/strict';
import { parseRule, RuleError, splitCommand, type BashRule } from '../../../src/agent/permissions';
import { bashRuleMatches } from '../../../src/agent/permissions/rules';

function matches(rule: string, command: string): boolean {
  const r = splitCommand(command);
  assert.ok(r.ok && r.commands.length === 1);
  return bashRuleMatches(parseRule(rule) as BashRule, r.commands[0].argv, r.commands[0].redirects);
}

describe('permissions/parseRule', () => {
  it('parses each kind', () => {
    assert.deepEqual(parseRule('Bash'), { tool: 'Bash', kind: 'any', text: 'Bash' });
    assert.equal(parseRule('Bash(*)').kind, 'any');
    assert.deepEqual(parseRule(' Bash(npm run test:*) '), {
      tool: 'Bash',
      kind: 'prefix',
      words: ['npm', 'run', 'test'],
      text: 'Bash(npm run test:*)',
    });
    const exact = parseRule(`Bash(git commit -m "a b")`);
    assert.equal(exact.kind, 'exact');
    assert.deepEqual(exact.kind === 'exact' ? exact.words : [], ['git', 'commit', '-m', 'a b']);
    assert.equal(parseRule('Bash(git * main)').kind, 'wildcard');
    assert.equal(parseRule('Bash(echo \\*)').kind, 'exact', 'an escaped star is no wildcard');
  });

  it('keeps other tools’ rules without treating them as Bash', () => {
    assert.deepEqual(parseRule('Read(./secrets/**)'), {
      tool: 'Read',
      kind: 'tool',
      specifier: './secrets/**',
      text: 'Read(./secrets/**)',
    });
    assert.deepEqual(parseRule('Edit'), { tool: 'Edit', kind: 'tool', text: 'Edit' });
    assert.equal(parseRule('Write(/tmp/x)').tool, 'Write');
    assert.equal(parseRule('WebFetch(domain:example.com)').kind, 'tool');
    assert.equal(parseRule('mcp__github__create_issue').tool, 'mcp__github__create_issue');
  });

  it('says what is wrong with a malformed rule', () => {
    const cases: [unknown, RegExp][] = [
      ['', /empty/],
      ['Bash(', /missing "\)"/],
      ['Bash(ls) x', /missing "\)"/],
      ['Bash()', /empty parentheses/],
      ['Bash(:*)', /nothing before/],
      ['bash(ls)', /did you mean Bash/],
      ['Bash ls', /not a tool name/],
      ['(ls)', /not a tool name/],
      ['Bash(git status && rm x)', /one command/],
      ['Bash(a; b)', /one command/],
      ['Bash(echo "open)', /could not be parsed/],
      ['Bash($(x):*)', /plain words/],
      ['Bash(ls > x:*)', /plain words/],
      ['Bash(ls * | sh)', /shell operators/],
      [42, /must be a string/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseRule(text as string),
        (e: unknown) => e instanceof RuleError && message.test(e.message),
        String(text),
      );
    }
  });
});

describe('permissions/Bash rule matching', () => {
  it('prefix rules match on word boundaries (and npm-style name:sub scripts)', () => {
    assert.ok(matches('Bash(npm run test:*)', 'npm run test'));
    assert.ok(matches('Bash(npm run test:*)', 'npm run test:unit'));
    assert.ok(matches('Bash(npm run test:*)', 'npm run test:unit --watch'));
    assert.ok(matches('Bash(npm run test:*)', 'npm   run "test" --bail'));
    assert.ok(!matches('Bash(npm run test:*)', 'npm run testx'));
    assert.ok(!matches('Bash(npm run test:*)', 'npm run'));
    assert.ok(!matches('Bash(npm run test:*)', 'npm test'));
    assert.ok(!matches('Bash(git:*)', 'gitk'));
  });

  it('exact rules compare words after quote removal', () => {
    assert.ok(matches('Bash(git status)', 'git status'));
    assert.ok(matches('Bash(git status)', '\'git\' "status"'));
    assert.ok(!matches('Bash(git status)', 'git status -s'));
    assert.ok(!matches('Bash(git status)', 'git'));
  });

  it('wildcards span words; a trailing " *" also matches the bare command', () => {
    assert.ok(matches('Bash(ls *)', 'ls'));
    assert.ok(matches('Bash(ls *)', 'ls -la /x'));
    assert.ok(!matches('Bash(ls *)', 'lsof'));
    assert.ok(matches('Bash(ls*)', 'lsof'));
    assert.ok(matches('Bash(git * main)', 'git push origin main'));
    assert.ok(!matches('Bash(git * main)', 'git push origin main --force'));
    assert.ok(matches('Bash(echo a\\*b *)', 'echo a*b c'));
    assert.ok(!matches('Bash(echo a\\*b *)', 'echo axb c'));
  });

  it('`Bash` matches everything', () => {
    assert.ok(matches('Bash', 'anything at all'));
  });
});
