// Untrusted text made visible: a table of hostile inputs, each of which must come out with nothing
// hidden, no raw control byte left, and no markup that any surface would interpret.
import assert from 'node:assert/strict';
import {
  codiconEscape,
  hiddenCount,
  markdownCode,
  markdownEscape,
  markdownFence,
  nonAsciiCharacters,
  notificationText,
  oneLine,
  plainLabel,
  shorten,
  visibleText,
} from '../../src/core/display';

/** Every character a reader could not see or that would act on a display. */
const RAW =
  // eslint-disable-next-line no-misleading-character-class -- lone marks listed on purpose
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff\u3164]|[\u{e0000}-\u{e007f}]/u;

const NASTY: [name: string, input: string, shown: string][] = [
  ['carriage return overwriting the line', 'touch PW #\r\x1b[2K  git status', 'touch PW #\\r\\x1b[2K  git status'],
  ['OSC 52 writing the clipboard', 'ok\x1b]52;c;Y3VybCB4fHNo\x07', 'ok\\x1b]52;c;Y3VybCB4fHNo\\x07'],
  [
    'OSC 8 hyperlink',
    '\x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\',
    '\\x1b]8;;https://evil\\x1b\\click\\x1b]8;;\\x1b\\',
  ],
  ['8-bit CSI and NEL', 'a\u009b2Jb\u0085c', 'a\\x9b2Jb\\x85c'],
  ['backspaces and DEL', 'rm -rf ~\b\b\b\bls\x7f', 'rm -rf ~\\x08\\x08\\x08\\x08ls\\x7f'],
  ['NUL and bell', 'a\0b\x07', 'a\\x00b\\x07'],
  ['newline hiding a second command', 'git diff HEAD\nrm -rf important', 'git diff HEAD⏎rm -rf important'],
  ['tab', 'a\tb', 'a\\tb'],
  ['right-to-left override (Trojan Source)', 'ls # \u202Etxt.exe', 'ls # \\u202etxt.exe'],
  [
    'isolates and marks',
    '\u2066a\u2069\u2067b\u2068c\u200E\u200F\u061C',
    '\\u2066a\\u2069\\u2067b\\u2068c\\u200e\\u200f\\u061c',
  ],
  [
    'zero-width space, joiners, word joiner, BOM',
    'r\u200Bm\u200C-\u200Drf\u2060 \uFEFF',
    'r\\u200bm\\u200c-\\u200drf\\u2060 \\ufeff',
  ],
  ['soft hyphen and Mongolian vowel separator', 'cu\u00ADrl\u180E', 'cu\\u00adrl\\u180e'],
  ['Unicode tag characters (ASCII smuggling)', 'hi\u{E0072}\u{E006D}', 'hi\\u{e0072}\\u{e006d}'],
  ['variation selectors (emoji smuggling)', 'x\uFE0F\u{E0101}', 'x\\ufe0f\\u{e0101}'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
  ['odd spaces', 'git\u00A0status\u3000x\u2003y', 'git\\u00a0status\\u3000x\\u2003y'],
  ['invisible letters (Hangul filler, braille blank)', 'a\u3164b\u2800c', 'a\\u3164b\\u2800c'],
  ['lone surrogate', 'a\uD800b', 'a\\ud800b'],
  ['private use', 'a\uE000b', 'a\\ue000b'],
];

describe('display: untrusted text made visible', () => {
  for (const [name, input, shown] of NASTY) {
    it(`one line: ${name}`, () => {
      const out = oneLine(input);
      assert.equal(out, shown);
      assert.ok(!RAW.test(out), `nothing raw left in ${JSON.stringify(out)}`);
      assert.ok(!out.includes('\n') && !out.includes('\r') && !out.includes('\x1b'));
    });
  }

  it('multi-line views keep newlines and tabs and escape everything else', () => {
    assert.equal(visibleText('a\n\tb\r\n\x1b[31mc\u202E', { multiline: true }), 'a\n\tb\\r\n\\x1b[31mc\\u202e');
  });

  it('leaves ordinary text, emoji and non-Latin scripts alone', () => {
    for (const s of [
      'git status --short',
      'naïve café — “quoted” ✓ 😀 日本語 Ελληνικά',
      'a\\x1b is typed, not an escape',
    ])
      assert.equal(oneLine(s), s);
  });

  it('counts what it escaped and names non-ASCII look-alikes', () => {
    assert.equal(hiddenCount('a\u202Eb\r\nc\t'), 2);
    assert.equal(hiddenCount('plain\nlines'), 0);
    assert.deepEqual(nonAsciiCharacters('g\u0456t status \u202E'), ['і U+0456']);
    assert.deepEqual(nonAsciiCharacters('git status'), []);
  });

  it('cuts only visibly, saying how much is left out', () => {
    assert.equal(shorten('abcdef', 10), 'abcdef');
    assert.equal(shorten('abcdef', 3), 'abc… (3 more characters)');
  });

  describe('Markdown', () => {
    const attacks = [
      'git status "[--short](https://x/"$(touch${IFS}pwned)',
      '[run me](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
      '![track](https://evil.example/pixel.png)',
      '<img src=https://evil.example/x.png>',
      '<command:workbench.action.reloadWindow>',
      'see https://evil.example and www.evil.example',
      '[ref]: command:foo',
      '# heading\n* list\n> quote',
      '[a]\n(command:x)',
    ];
    it('inline escape leaves no link, image, autolink, HTML or line structure', () => {
      for (const a of attacks) {
        const md = markdownEscape(a);
        assert.ok(!/(?<!\\)[[\]()<>!*#:]/.test(md), `unescaped markup character in ${md}`);
        assert.ok(!md.includes('\n'));
        // Removing the escapes gives back the text (newlines as ⏎): nothing lost or added.
        assert.equal(md.replace(/\\([!-/:-@[-`{-~])/g, '$1'), oneLine(a));
      }
    });

    it('a code span no content can close, padded where CommonMark would eat a space or a backtick', () => {
      assert.equal(markdownCode('review:item-3'), '`review:item-3`');
      assert.equal(markdownCode('a `b` [x](command:y)'), '``a `b` [x](command:y)``');
      assert.equal(markdownCode('`x'), '`` `x ``');
      assert.equal(markdownCode(' x '), '`  x  `');
      assert.equal(markdownCode('a\nb\u202E'), '`a⏎b\\u202e`');
    });

    it('a fence no content can close, with hidden characters escaped', () => {
      const body = 'x\n```\n[a](command:y)\n````` still inside\n\x1b[2J';
      const block = markdownFence(body, 'text');
      const fence = block.split('\n')[0].replace('text', '');
      assert.equal(fence, '``````');
      const inner = block.slice(block.indexOf('\n') + 1, block.lastIndexOf(fence));
      assert.ok(!inner.split('\n').some((l) => /^ {0,3}`{6,}/.test(l)), 'no line inside closes the fence');
      assert.ok(inner.includes('\\x1b[2J') && !inner.includes('\x1b'));
      assert.equal(markdownFence('plain'), '```\nplain\n```\n');
    });
  });

  it('codicons stay text where VS Code would render them', () => {
    assert.equal(codiconEscape('$(zap) go $(x~spin)'), '\\$(zap) go \\$(x~spin)');
    assert.equal(plainLabel('$(zap)\nrm\u202E'), '\\$(zap)⏎rm\\u202e');
  });

  it('notification text cannot form a link, whatever the scheme or case', () => {
    // The link syntax VS Code's notifications turn into clickable links.
    const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
    for (const s of [
      '[x](command:foo)',
      '[x](HTTPS://e)',
      'a [b](file:///etc) c',
      'git status "[--short](https://x/"$(touch)',
    ]) {
      assert.ok(LINK.test(s));
      assert.ok(!LINK.test(notificationText(s)), notificationText(s));
    }
  });
});
