// The answers an approval question offers and in what order: Deny first for a destructive
// command, Allow once first otherwise; "Always allow" names the exact rule it saves and the prefix
// rule is a separate answer; the notification's links run our own answer command with the
// question's id, and nothing from the command forms a link.
import assert from 'node:assert/strict';
import {
  ANSWER_COMMAND,
  REVIEW_COMMAND,
  allowsOneClick,
  approvalNotice,
  choiceButton,
  choicesFor,
  linksMarkdown,
  reviewButtons,
  reviewDetail,
  waitingDescription,
  type ApprovalQuestion,
} from '../../../src/vscode/approvals/approvalText';

const NOTIFICATION_LINKS = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

const q = (command: string, extra: Partial<ApprovalQuestion> = {}): ApprovalQuestion => ({
  runId: 'wf_1',
  runName: 'review',
  agentLabel: 'fixer',
  command,
  ...extra,
});
const lint = q('npm run lint', { rules: ['Bash(npm run lint)'], prefixRules: ['Bash(npm run:*)'] });
const push = q('git push --force origin main', {
  rules: ['Bash(git push --force origin main)'],
  destructive: 'git push rewrites or deletes remote history',
});

/** The links VS Code would render in `title: message`, as [label, command, args]. */
function links(text: string): [string, string, unknown][] {
  return [...text.matchAll(NOTIFICATION_LINKS)].map((m) => {
    const [command, query] = m[2].slice('command:'.length).split('?');
    return [m[1], command, JSON.parse(decodeURIComponent(query))];
  });
}

describe('vscode: approval choices', () => {
  const ORDER: [name: string, question: ApprovalQuestion, choices: string[], buttons: string[]][] = [
    [
      'harmless, exact and prefix rule',
      lint,
      ['once', 'always', 'prefix', 'deny'],
      ['Allow once', 'Always allow Bash(npm run lint)', 'Always allow Bash(npm run:*)', 'Deny'],
    ],
    [
      'destructive',
      push,
      ['deny', 'once', 'always'],
      ['Deny', 'Allow once', 'Always allow Bash(git push --force origin main)'],
    ],
    ['no rule can be saved', q('make && (( n ))', { rules: [] }), ['once', 'deny'], ['Allow once', 'Deny']],
    [
      'destructive, no rule',
      q('rm -rf x', { rules: [], destructive: 'rm deletes files' }),
      ['deny', 'once'],
      ['Deny', 'Allow once'],
    ],
    [
      'a rule too long for a button',
      q('x', { rules: [`Bash(echo ${'a'.repeat(80)})`] }),
      ['once', 'always', 'deny'],
      ['Allow once', 'Always allow (the exact rule above)', 'Deny'],
    ],
    [
      'a rule a dialog would take as a mnemonic',
      q('x', { rules: ['Bash(echo "a && b")'] }),
      ['once', 'always', 'deny'],
      ['Allow once', 'Always allow (the exact rule above)', 'Deny'],
    ],
  ];
  for (const [name, question, choices, buttons] of ORDER) {
    it(`${name}: ${buttons.join(' | ')}`, () => {
      assert.deepEqual(choicesFor(question), choices);
      assert.deepEqual(
        reviewButtons(question).map((b) => b.label),
        buttons,
      );
      assert.deepEqual(
        reviewButtons(question).map((b) => b.choice),
        choices,
      );
    });
  }

  it('the notification says what each "always" saves and why Deny leads; its links answer this question', () => {
    const n = approvalNotice(lint);
    assert.match(
      n.message,
      /"Always allow" saves Bash\(npm run lint\)\. "Always allow prefix" saves Bash\(npm run:\*\)\./,
    );
    assert.deepEqual(links(n.message), [], 'no link in the question');
    assert.deepEqual(links(`${n.message}: ${linksMarkdown('approval-7', n.links)}`), [
      ['Allow once', ANSWER_COMMAND, ['approval-7', 'once']],
      ['Always allow', ANSWER_COMMAND, ['approval-7', 'always']],
      ['Always allow prefix', ANSWER_COMMAND, ['approval-7', 'prefix']],
      ['Deny', ANSWER_COMMAND, ['approval-7', 'deny']],
    ]);
    const d = approvalNotice(push);
    assert.match(d.message, /⚠ git push rewrites or deletes remote history\./);
    assert.deepEqual(d.buttons, ['Deny', 'Allow once', 'Always allow']);
  });

  it('a command the notification cannot show links to the modal and Deny only', () => {
    const n = approvalNotice(q('git diff\nrm -rf x', { destructive: 'rm deletes files' }));
    assert.deepEqual(links(`${n.message}: ${linksMarkdown('approval-1', n.links)}`), [
      ['Show Command…', REVIEW_COMMAND, ['approval-1']],
      ['Deny', ANSWER_COMMAND, ['approval-1', 'deny']],
    ]);
  });

  it('untrusted names and a destructive reason naming a file cannot add a link to the notification', () => {
    const hostile = q('echo x > f', {
      agentLabel: '[Allow once](command:dynamicWorkflows.answerApproval?%5B%22approval-1%22%2C%22once%22%5D)',
      destructive: '`>` overwrites [a](command:workbench.action.terminal.sendSequence)',
      rules: ['Bash(echo x > f)'],
    });
    const n = approvalNotice(hostile);
    assert.deepEqual(links(n.message), []);
    assert.equal(
      links(`${n.message}: ${linksMarkdown('approval-2', n.links)}`).length,
      n.links.length,
      'only our own links',
    );
  });

  it('the modal lists the rules each "always" answer saves and the destructive warning', () => {
    const detail = reviewDetail({ ...lint, destructive: undefined });
    assert.match(detail, /"Always allow" saves: Bash\(npm run lint\)\n"Always allow prefix" saves: Bash\(npm run:\*\)/);
    assert.match(reviewDetail(push), /⚠ Destructive: git push rewrites/);
    assert.equal(choiceButton(lint, 'prefix'), 'Always allow Bash(npm run:*)');
  });

  it('the tree shows the command it waits on on one line, escaped and cut; one-click Allow only for plain harmless commands', () => {
    assert.equal(waitingDescription(q('npm run lint')), 'waiting for approval: npm run lint');
    assert.equal(waitingDescription(q('a\nb\u202E')), 'waiting for approval: a⏎b\\u202e');
    assert.match(waitingDescription(q(`echo ${'x'.repeat(200)}`)), /… \(145 more characters\)$/);
    assert.equal(allowsOneClick(lint), true);
    assert.equal(allowsOneClick(push), false, 'destructive: the modal first');
    assert.equal(allowsOneClick(q('a\nb')), false, 'not shown whole: the modal first');
  });
});
