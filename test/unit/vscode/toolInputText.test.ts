// Tool calls in a transcript read as what they did: an Edit as a diff, a Write as the new file (cut
// visibly), Bash as shell, Read/Grep/Glob as one line; file paths link only inside the workspace and
// only through links we build, and no model string becomes live Markdown.
import assert from 'node:assert/strict';
import type { TranscriptEntry } from '../../../src/agent/transcript';
import { transcriptText } from '../../../src/vscode/documents/documentText';
import {
  MAX_WRITE_LINES,
  editDiff,
  toolInputText,
  workspacePath,
  type PathLinker,
} from '../../../src/vscode/documents/toolInputText';
import { contentSecurityPolicy, documentHtml, plainBody } from '../../../src/vscode/documents/documentHtml';

type Entry = TranscriptEntry & { at: number };

const ROOT = '/ws/project';
/** Stands in for the editor's linker: inside the root, a link of ours; outside, plain text. */
const linker: PathLinker = (p) => {
  const rel = workspacePath(ROOT, p);
  return rel === undefined
    ? { shown: p }
    : { shown: rel, target: `command:open?${encodeURIComponent(JSON.stringify([`${ROOT}/${rel}`]))}` };
};

/** A transcript of one turn calling `name` with `input`. */
function withTool(name: string, input: unknown, text = 'Done.'): string {
  const entries: Entry[] = [
    {
      type: 'start',
      agentId: 'a1',
      label: 'editor',
      model: 'm',
      attempt: 1,
      prompt: 'p',
      system: 's',
      tools: [name],
      at: 0,
    },
    {
      type: 'response',
      turn: 1,
      at: 1,
      message: {
        stop_reason: 'tool_use',
        content: [
          { type: 'text', text },
          { type: 'tool_use', id: 't1', name, input },
        ],
      },
    },
    { type: 'tool', turn: 1, id: 't1', name, input, result: 'ok', isError: false, ms: 3, at: 1 },
  ];
  return transcriptText({ label: 'editor', agentId: 'a1', runId: 'wf_x', attempts: [entries], paths: linker });
}

/** Markdown outside fenced blocks and code spans, with our own links taken out: what would be live. */
const live = (text: string) =>
  text
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    .replace(/\]\(command:open\?[^)\s]*\)/g, '')
    .replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
const LIVE_MARKUP = /(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<[a-z/]|(?<!\\)command:|(?<!\\)https?:/i;

describe('toolInputText', () => {
  describe('workspacePath', () => {
    it('is the relative path for files inside the root, absolute or relative', () => {
      assert.equal(workspacePath(ROOT, '/ws/project/src/a.ts'), 'src/a.ts');
      assert.equal(workspacePath(ROOT, 'src/b.ts'), 'src/b.ts');
      assert.equal(workspacePath(ROOT, './src/../c.ts'), 'c.ts');
    });

    it('is undefined outside the root: elsewhere, climbing out with .., a sibling with the same prefix, the root itself', () => {
      assert.equal(workspacePath(ROOT, '/etc/passwd'), undefined);
      assert.equal(workspacePath(ROOT, '../secrets.txt'), undefined);
      assert.equal(workspacePath(ROOT, '/ws/project/../other/x.ts'), undefined);
      assert.equal(workspacePath(ROOT, '/ws/project-other/x.ts'), undefined);
      assert.equal(workspacePath(ROOT, ROOT), undefined);
    });
  });

  describe('editDiff', () => {
    it('keeps shared first and last lines as context and shows the rest removed, then added', () => {
      assert.deepEqual(editDiff('a\nb\nc', 'a\nB\nB2\nc'), { diff: ' a\n-b\n+B\n+B2\n c', more: 0 });
    });

    it('an insertion into empty text is only added lines', () => {
      assert.deepEqual(editDiff('', 'x\ny'), { diff: '+x\n+y', more: 0 });
    });
  });

  it('an Edit is a diff block with the linked path, not JSON', () => {
    const text = withTool('Edit', {
      file_path: '/ws/project/src/a.ts',
      old_string: 'const a = 1;\nkeep();',
      new_string: 'const a = 2;\nkeep();',
    });
    assert.match(
      text,
      /#### Tool call: `Edit` · 3 ms\n\nEdit \[`src\/a\.ts`\]\(command:open\?%5B%22%2Fws%2Fproject%2Fsrc%2Fa\.ts%22%5D\)\n\n```diff\n-const a = 1;\n\+const a = 2;\n keep\(\);\n```/,
    );
    assert.ok(!text.includes('old_string') && !text.includes('"file_path"'), 'no JSON of the input');
  });

  it('replace_all is said in words', () => {
    assert.match(
      withTool('Edit', { file_path: 'x.ts', old_string: 'a', new_string: 'b', replace_all: true }),
      /Edit \[`x\.ts`\]\([^)]*\) \(every occurrence\)/,
    );
  });

  it('a path outside the workspace is plain code, never a link', () => {
    const text = withTool('Edit', { file_path: '/etc/hosts', old_string: 'a', new_string: 'b' });
    assert.match(text, /\nEdit `\/etc\/hosts`\n/);
    assert.ok(!text.includes('command:'), 'no link at all');
  });

  it('a Write shows the new file as added lines, cut past the limit with a visible count', () => {
    const content = Array.from({ length: MAX_WRITE_LINES + 25 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = withTool('Write', { file_path: 'src/new.ts', content });
    assert.match(
      text,
      new RegExp(
        `Write \\[\`src/new\\.ts\`\\]\\([^)]*\\) · ${MAX_WRITE_LINES + 25} lines\\n\\n\`\`\`diff\\n\\+line 1\\n`,
      ),
    );
    assert.ok(text.includes(`+line ${MAX_WRITE_LINES}\n\`\`\``), 'the last line shown closes the block');
    assert.ok(!text.includes(`+line ${MAX_WRITE_LINES + 1}\n`), 'nothing past the limit');
    assert.match(text, /_… 25 more lines of the new file not shown \(the transcript file has them all\)\._/);
  });

  it('backticks inside the edited text cannot close the diff fence', () => {
    const text = withTool('Edit', {
      file_path: 'README.md',
      old_string: '```js\nold\n```',
      new_string: '````\n[x](command:evil)\n````',
    });
    assert.ok(text.includes('`````diff\n-```js\n-old\n-```\n+````\n+[x](command:evil)\n+````\n`````'), text);
    assert.ok(!LIVE_MARKUP.test(live(text)), live(text));
  });

  it('other tools read as a line: Bash as shell, Read with its range, Grep and Glob with pattern and place', () => {
    assert.equal(
      toolInputText('Bash', { command: 'npm test', description: 'Run tests' }, linker),
      '`Run tests`\n\n```sh\nnpm test\n```\n',
    );
    assert.equal(
      toolInputText('Read', { file_path: '/etc/passwd', offset: 10, limit: 5 }, linker),
      'Read `/etc/passwd` · from line 10 · 5 lines\n',
    );
    assert.match(
      toolInputText('Grep', { pattern: 'TODO', path: 'src', glob: '*.ts' }, linker),
      /^Grep `TODO` in \[`src`\]\(command:open\?[^)]*\) · glob `\*\.ts`\n$/,
    );
    assert.equal(toolInputText('Glob', { pattern: '**/*.md' }, linker), 'Glob `**/*.md` in the workspace\n');
    assert.equal(
      toolInputText('WebFetch', { url: 'https://example.com' }, linker),
      '```json\n{\n  "url": "https://example.com"\n}\n```\n',
      'anything else as fenced JSON',
    );
  });

  describe('hostile input stays inert', () => {
    it('a command: link in the model text, a path and a Grep pattern is inert text; only our links are links', () => {
      const LINK = '[Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)';
      const text = [
        withTool(
          'Edit',
          { file_path: `src/${LINK}.ts`, old_string: LINK, new_string: '![x](https://evil.example/p.png)' },
          `Done ${LINK}`,
        ),
        withTool('Read', { file_path: `/tmp/${LINK}` }),
        withTool('Grep', { pattern: LINK, path: `<img src=https://evil.example/i.png>` }),
      ].join('\n');
      assert.ok(!LIVE_MARKUP.test(live(text)), live(text));
      // Our link's destination is percent-encoded: the model's `)` cannot end it early.
      const ours = [...text.matchAll(/\]\((command:open\?[^)\s]*)\)/g)].map((m) => m[1]);
      assert.ok(ours.length >= 1);
      for (const target of ours)
        assert.equal(
          JSON.parse(decodeURIComponent(target.slice('command:open?'.length)))[0].startsWith(`${ROOT}/`),
          true,
          target,
        );
    });

    it('the page around the rendered Markdown runs no scripts and loads no images', () => {
      const csp = contentSecurityPolicy('n0nce');
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'none'/);
      assert.match(csp, /img-src 'none'/);
      const page = documentHtml('Transcript: <b>x</b>', '<p>body</p>', 'n0nce');
      assert.ok(page.includes('<title>Transcript: &#60;b&#62;x&#60;/b&#62;</title>'), 'the title is escaped');
      assert.ok(page.includes(`content="${csp}"`));
      assert.equal(plainBody('<img src=x> & `code`'), '<pre class="plain">&#60;img src=x&#62; &#38; `code`</pre>');
    });
  });
});
