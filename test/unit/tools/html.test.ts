// WebFetch's HTML conversion: a real parser and converter keep the page's structure, and a page
// built to be slow to parse is stopped at the deadline off the main thread, its text still given.
import assert from 'node:assert/strict';
import { htmlToMarkdown, stripTags } from '../../../src/agent/tools/html';
import { pageToMarkdown } from '../../../src/agent/tools/pageText';

describe('tools/html', () => {
  it('keeps structure: headings, nested and ordered lists, code blocks, table rows, absolute links, image alt text', () => {
    const md = htmlToMarkdown(
      `<title>T &amp; U</title><h2>Usage</h2><ul><li>one<ul><li>inner</li></ul></li></ul><ol><li>first</li></ol>
       <pre><code>npm test</code></pre><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
       <p><img src="x.png" alt="diagram"> <a href="../guide">guide</a> <a href="data:text/html,x">d</a></p>`,
      'https://example.org/docs/page',
    );
    assert.equal(
      md,
      [
        'T & U',
        '',
        '## Usage',
        '',
        '- one',
        '  - inner',
        '',
        '1. first',
        '',
        '```',
        'npm test',
        '```',
        '',
        'a | b',
        '1 | 2',
        '',
        'diagram [guide](https://example.org/guide) d',
      ].join('\n'),
    );
  });

  it('stripTags is a plain, linear fallback: tags gone, the common entities decoded', () => {
    assert.equal(stripTags('<p>a &lt;b&gt; &amp; <script>x()</script>c</p>'), 'a <b> & c');
  });

  it('stripTags reads HTML as a browser tokenizes it: quoted `>`, comments, raw text, every entity, blocks and cells apart', () => {
    assert.equal(
      stripTags(
        '<a title="1 > 0">wo<b>rd</b></a><!-- <p>hidden</p> --><style>p > a {}</style> caf&eacute; &#x41;&#66;<p>next</p><table><tr><td>1</td><td>2</td></tr></table>',
      ),
      'word café AB\nnext\n\n1 2',
    );
  });

  it('stripTags stays linear on inputs that made the regular expressions quadratic', () => {
    // Each of these took the old regex strip minutes to hours (every `<` rescanned the rest of the
    // page); here the suite's timeout is the check.
    const lone = stripTags('<'.repeat(2_000_000) + ' a');
    assert.ok(
      lone.length === 2_000_002 && lone.endsWith('<< a'),
      `${lone.length} characters, ending ${lone.slice(-10)}`,
    );
    // One tag named `script<script<…` (as a browser reads it), then the text.
    assert.equal(stripTags('<script'.repeat(300_000) + '>x'), 'x');
    assert.equal(stripTags('x' + ' \u00a0'.repeat(1_000_000) + 'y'), 'x y');
    assert.equal(stripTags('<p>a</p>' + '\t'.repeat(2_000_000) + '<p>b</p>'), 'a\n\nb');
  });

  it('a page that is slow to parse is stopped at the deadline, off the main thread, and its text still comes back', async () => {
    // Thousands of unclosed links: seconds of parsing (tens of seconds on a loaded machine).
    const hostile = '<p>' + '<a href=x>word '.repeat(60_000) + 'END';
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const text = await pageToMarkdown(hostile, 'https://example.org/', 300);
      assert.match(
        text,
        /^\[Converting the page to Markdown took longer than 0\.3 s and was stopped; the page's text follows without structure\.\]/,
      );
      assert.ok(text.trimEnd().endsWith('word END'), text.slice(-40));
      assert.ok(ticks >= 5, `the main thread kept running (${ticks} ticks)`);
    } finally {
      clearInterval(timer);
    }
  });

  it('a page that is slow to convert and hostile to a tag strip still comes back as text, stripped off the main thread too', async () => {
    // Unclosed links make turndown's parser slow; a million lone `<` made the old main-thread
    // fallback quadratic (hours). Both now run in workers with deadlines.
    const hostile = '<p>' + '<a href=x>word '.repeat(60_000) + '<'.repeat(1_000_000) + ' END';
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const text = await pageToMarkdown(hostile, 'https://example.org/', 300);
      assert.match(
        text,
        /^\[Converting the page to Markdown took longer than 0\.3 s and was stopped; the page's text follows without structure\.\]/,
      );
      assert.ok(text.endsWith('<<< END'), text.slice(-40));
      assert.ok(ticks >= 5, `the main thread kept running (${ticks} ticks)`);
    } finally {
      clearInterval(timer);
    }
  });

  it('when even the text extraction misses its deadline the answer says so, without the page', async () => {
    const text = await pageToMarkdown('<p>' + '<a href=x>word '.repeat(60_000), undefined, 1, 1);
    assert.match(
      text,
      /^\[Converting the page to Markdown took longer than 0\.001 s and was stopped, and extracting its text took longer than 0\.001 s and was stopped: the page is left out\.\]$/,
    );
  });

  it('a page nested deeper than the parser can recurse still gives its text', async function () {
    // Parsing 30k levels takes seconds, and many more on a loaded 2-core machine: behaviour, not speed, is checked here.
    this.timeout(120_000);
    const deep = '<div>'.repeat(30_000) + 'deep &amp; text' + '</div>'.repeat(30_000);
    const text = await pageToMarkdown(deep, undefined, 100_000);
    assert.match(text, /deep & text/);
    assert.match(text, /without structure/);
  });
});
