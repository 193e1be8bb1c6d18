// What the terminal shows of untrusted text: the approval prompt shows the whole command with every
// control character visible, and a run whose script, labels, log lines and model output carry
// escape sequences (OSC 52 clipboard writes, CR and clear-line overwrites) leaves none of them raw.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { approvalPrompt, terminalApprover } from '../../../src/cli/approver';
import { guardTerminal } from '../../../src/cli/io';
import { Capture, cli, sandbox, type Sandbox } from './helpers';

/** Control characters a terminal acts on (newline and tab aside) and the bidi/zero-width ones. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
/** The live view's own cursor moves: the only escape sequences allowed on the terminal. */
const OWN_SEQUENCES = /\x1b\[\d+A\r|\x1b\[2K|\x1b\[0J/g;

const OSC52 = '\x1b]52;c;Y3VybCBldmlsfHNo\x07';

describe('cli: untrusted text on the terminal', () => {
  describe('approval prompt', () => {
    it('shows the command whole with the overwrite visible, and says that characters were escaped', () => {
      const text = approvalPrompt({
        runId: 'wf_x',
        agentLabel: 'fix\r\x1b[2Kbuild',
        command: 'touch PW #\r\x1b[2K  git status',
      });
      assert.ok(!RAW_CONTROL.test(text), JSON.stringify(text));
      assert.ok(text.includes('│ touch PW #\\r\\x1b[2K  git status\n'), text);
      assert.ok(text.includes('Agent "fix\\r\\x1b[2Kbuild"'), text);
      assert.match(text, /! 2 invisible or control characters are shown as/);
    });

    it('a multi-line command line by line behind a numbered gutter', () => {
      const text = approvalPrompt({ runId: 'wf_x', agentLabel: 'a', command: 'git diff HEAD\nrm -rf important\n' });
      assert.match(
        text,
        /wants to run a command of 3 lines:\n {2}1│ git diff HEAD\n {2}2│ rm -rf important\n {2}3│ \n/,
      );
    });

    it('bidi overrides, zero-width characters and look-alike letters are named', () => {
      const text = approvalPrompt({
        runId: 'wf_x',
        agentLabel: 'a',
        command: 'g\u0456t status # \u202Eexe.txt\u200B',
        reason: 'no rule\nallows it\x1b[8m',
        rules: ['Bash(g\u0456t status:*)'],
      });
      assert.ok(!RAW_CONTROL.test(text), JSON.stringify(text));
      assert.ok(text.includes('│ gіt status # \\u202eexe.txt\\u200b'), text);
      assert.match(text, /Non-ASCII characters .*: і U\+0456/);
      assert.match(text, /Why: no rule\n {5}allows it\\x1b\[8m\n/);
      assert.match(text, /"Always" saves: Bash\(gіt status:\*\)/);
    });

    it('the real readline prompt: y allows once; "always" is not offered when no rule would be saved', async () => {
      const ask = async (answer: string, rules?: string[]) => {
        const input = new PassThrough();
        const output = new PassThrough();
        let shown = '';
        output.on('data', (d: Buffer) => (shown += d.toString()));
        const approver = terminalApprover(input, output, (fn) => fn());
        const pending = approver.approveCommand({ runId: 'wf_x', agentLabel: 'a', command: `echo ${OSC52}`, rules });
        setImmediate(() => input.write(answer + '\n'));
        return { choice: await pending, shown };
      };
      const once = await ask('y');
      assert.equal(once.choice, 'once');
      assert.ok(once.shown.includes('│ echo \\x1b]52;c;Y3VybCBldmlsfHNo\\x07'), once.shown);
      assert.ok(!once.shown.includes(OSC52), 'the clipboard sequence never reaches the terminal');
      const noAlways = await ask('a', []);
      assert.equal(noAlways.choice, 'deny');
      assert.ok(!noAlways.shown.includes('[a]'), noAlways.shown);
      assert.equal((await ask('a', ['Bash(echo:*)'])).choice, 'always');
    });

    /** A prompt on a terminal (readline in raw mode reads Ctrl+C itself), with what it shows. */
    const onTerminal = () => {
      const input = new PassThrough();
      const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
      let shown = '';
      output.on('data', (d: Buffer) => (shown += d.toString()));
      let interrupts = 0;
      const approver = terminalApprover(
        input,
        output,
        (fn) => fn(),
        () => interrupts++,
      );
      const req = (command: string) => ({ runId: 'wf_x', agentLabel: 'a', command });
      return { input, approver, req, shown: () => shown, interrupts: () => interrupts };
    };

    it('Ctrl+C at the prompt stops the run once; that question and the queued ones stay unanswered, unshown', async () => {
      const t = onTerminal();
      const first = t.approver.approveCommand(t.req('rm -rf build'));
      const queued = t.approver.approveCommand(t.req('git push'));
      setImmediate(() => t.input.write('\x03'));
      for (let i = 0; i < 50 && !t.interrupts(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(t.interrupts(), 1, 'the run is stopped as Ctrl+C stops it elsewhere');
      const later = t.approver.approveCommand(t.req('make'));
      // The stop ends the agents that wait: an answer now would reach a remote worker before the stop.
      const pending = Symbol('pending');
      const settled = await Promise.race([
        Promise.all([first, queued, later]),
        new Promise((r) => setTimeout(() => r(pending), 200)),
      ]);
      assert.equal(settled, pending, 'no answer is given');
      assert.ok(t.shown().includes('rm -rf build'), t.shown());
      assert.ok(!t.shown().includes('git push') && !t.shown().includes('make'), 'nobody is asked after Ctrl+C');
      assert.equal(t.interrupts(), 1);
    });

    it('end of input at the prompt denies, and later questions are denied without asking', async () => {
      const t = onTerminal();
      const first = t.approver.approveCommand(t.req('rm -rf build'));
      setImmediate(() => t.input.end());
      assert.equal(await first, 'deny');
      assert.equal(await t.approver.approveCommand(t.req('git push')), 'deny');
      assert.ok(!t.shown().includes('git push'), t.shown());
      assert.equal(t.interrupts(), 0, 'end of input is not a stop');
    });
  });

  describe('a run whose strings carry escape sequences', () => {
    let box: Sandbox;
    beforeEach(() => (box = sandbox()));
    afterEach(() => box.cleanup());

    const HOSTILE = `export const meta = { name: 'ok\\x1b]0;pwned\\x07', description: 'd', phases: [{ title: 'Find\\u202Eevil' }] }
phase('Find\\u202Eevil')
const r = await parallel([1, 2].map(i => () => agent('item ' + i, { label: 'item-' + i + '\\x1b[2Kall good' })))
log('clip ${OSC52.replace(/\x1b/g, '\\x1b').replace(/\x07/g, '\\x07')}\\nsecond line\\x1b[1A\\x1b[2K')
return 'result \\x1b[2J\\x1b[3J' + r.length
`;

    it('on a terminal: the live view, log lines and the result show every escape as text', async () => {
      box.write('hostile.js', HOSTILE);
      const c = cli(box, { tty: true, defaultDelayMs: 400 });
      assert.equal(await c.run('run', 'hostile.js'), 0, c.stderr.text);
      const out = c.stdout.text.replace(OWN_SEQUENCES, '');
      assert.ok(!RAW_CONTROL.test(out), JSON.stringify(out.match(new RegExp(RAW_CONTROL.source + '.{0,20}', 'g'))));
      for (const shown of [
        'ok\\x1b]0;pwned\\x07',
        'Find\\u202eevil',
        'item-1\\x1b[2Kall good',
        'log: clip \\x1b]52;c;Y3VybCBldmlsfHNo\\x07',
        '  second line\\x1b[1A\\x1b[2K',
        'result \\x1b[2J\\x1b[3J2',
      ]) {
        assert.ok(out.includes(shown), `shows ${shown}`);
      }
    });

    it('off a terminal: the plain progress lines are escaped at the source; a piped result is left as it is', async () => {
      box.write('hostile.js', HOSTILE);
      const c = cli(box);
      assert.equal(await c.run('run', 'hostile.js'), 0, c.stderr.text);
      assert.ok(!RAW_CONTROL.test(c.stderr.text), JSON.stringify(c.stderr.text));
      assert.match(c.stderr.text, /^dwf: ok\\x1b\]0;pwned\\x07 · run wf_/m);
      assert.match(c.stderr.text, /done +item-1\\x1b\[2Kall good \(Find\\u202eevil\)/);
      // The result is the program's output: a pipe gets it byte for byte.
      assert.ok(c.stdout.text.includes('result \x1b[2J\x1b[3J2'));
    });

    it('dwf list: a saved workflow description cannot write the clipboard', async () => {
      box.write(
        '.claude/workflows/evil.js',
        `export const meta = { name: 'evil', description: 'Find bugs${OSC52.replace(/\x1b/g, '\\x1b').replace(/\x07/g, '\\x07')}' }\nreturn 1\n`,
      );
      const c = cli(box);
      assert.equal(await c.run('list'), 0, c.stderr.text);
      assert.ok(!RAW_CONTROL.test(c.stdout.text), JSON.stringify(c.stdout.text));
      assert.ok(c.stdout.text.includes('Find bugs\\x1b]52;c;Y3VybCBldmlsfHNo\\x07'), c.stdout.text);
    });
  });

  it('the terminal guard passes newlines and tabs, escapes every other control character; a pipe is untouched', () => {
    const tty = new Capture(true);
    guardTerminal(tty).write(`a\tb\n${OSC52}\r\u202E\n`);
    assert.equal(tty.text, 'a\tb\n\\x1b]52;c;Y3VybCBldmlsfHNo\\x07\\r\\u202e\n');
    const pipe = new Capture(false);
    assert.equal(guardTerminal(pipe), pipe);
  });
});
