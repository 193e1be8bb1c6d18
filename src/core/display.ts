// Untrusted text (model output, commands, labels, script strings) made safe to show: every character
// that would act instead of being read — control and escape sequences, bidi overrides, zero-width and
// other invisible characters — is written as a visible escape, and the helpers per surface keep
// Markdown, links and codicons from being interpreted. Pure: the CLI and VS Code both use it.
//
// Convention: a newline is `⏎` on one-line surfaces (and kept in multi-line views); `\r` and `\t`;
// other C0/C1 controls and DEL as `\xNN` (ESC is `\x1b`, so `ESC [2K` shows as `\x1b[2K`); every
// other hidden character as `\uNNNN` or `\u{NNNNN}`.

export interface VisibleOptions {
  /** Keep newlines and tabs as they are (multi-line views, code blocks); else `⏎` and `\t`. */
  multiline?: boolean;
}

/**
 * Characters a reader cannot see or that act on the display: controls (Cc), format characters
 * (Cf: bidi controls, zero-width, soft hyphen, BOM, tags), line/paragraph separators, private-use,
 * surrogate halves, unassigned code points, spaces other than U+0020, variation selectors, and the
 * letters that render as nothing (Hangul fillers, braille blank, Khmer inherent vowels…).
 */
const HIDDEN =
  // eslint-disable-next-line no-misleading-character-class -- lone combining marks are listed on purpose: they are what it finds
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFFA0\uFE00-\uFE0F\uFFFC\u{E0100}-\u{E01EF}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\t': '\\t', '\n': '⏎' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** The visible escape of one hidden character. */
export function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `\\x${hex(cp, 2)}`;
  return cp > 0xffff ? `\\u{${hex(cp, 5)}}` : `\\u${hex(cp, 4)}`;
}

/** `s` with every hidden character written as a visible escape (see the convention above). */
export function visibleText(s: string, options: VisibleOptions = {}): string {
  return s.replace(HIDDEN, (ch) => (options.multiline && (ch === '\n' || ch === '\t') ? ch : escapeChar(ch)));
}

/** One line: newlines as `⏎`, every hidden character escaped. */
export function oneLine(s: string): string {
  return visibleText(s);
}

/** How many characters of `s` visibleText writes as escapes (newlines and tabs not counted). */
export function hiddenCount(s: string): number {
  let n = 0;
  for (const m of s.matchAll(HIDDEN)) if (m[0] !== '\n' && m[0] !== '\t') n++;
  return n;
}

/**
 * The distinct non-ASCII characters of a command that are not escaped anyway: look-alikes such as
 * Cyrillic `і` in `gіt` read as ASCII. Each as `і U+0456`.
 */
export function nonAsciiCharacters(s: string): string[] {
  const seen = new Set<string>();
  // eslint-disable-next-line no-misleading-character-class -- HIDDEN's source, see above
  for (const ch of s) if (ch.codePointAt(0)! > 0x7e && !new RegExp(HIDDEN.source, 'u').test(ch)) seen.add(ch);
  return [...seen].map((ch) => `${ch} U+${hex(ch.codePointAt(0)!, 4).toUpperCase()}`);
}

/** Cuts visibly: `…` plus how much is left out, so nothing is cut silently. */
export function shorten(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return `${chars.slice(0, max).join('')}… (${chars.length - max} more characters)`;
}

/**
 * Inline Markdown that shows `s` literally: hidden characters escaped, newlines as `⏎`, and every
 * ASCII punctuation character backslash-escaped (CommonMark allows it for all of them), so no link,
 * image, autolink, HTML, emphasis, heading or `https:`/`www.` auto-link can form.
 */
export function markdownEscape(s: string): string {
  return oneLine(s).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * An inline code span holding `s` literally on one line (hidden characters escaped): nothing inside
 * a code span is a link, an entity or an escape, and the delimiter is longer than any backtick run
 * inside. Reads better than markdownEscape for names and labels.
 */
export function markdownCode(s: string): string {
  const text = oneLine(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const tick = '`'.repeat(longest + 1);
  // CommonMark strips one space on each side when both are there: pad so the text comes back whole.
  const pad =
    text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '')
      ? ' '
      : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/**
 * A fenced code block holding `s` literally (hidden characters escaped, newlines kept): the fence is
 * longer than any backtick run inside, so no line of `s` can close it.
 */
export function markdownFence(s: string, lang = ''): string {
  const text = visibleText(s, { multiline: true });
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}\n${f}\n`;
}

/** `$(name)` as text, not an icon, where VS Code renders codicons (quick picks, status bar, titles). */
export function codiconEscape(s: string): string {
  return s.replace(/\$\(/g, '\\$(');
}

/** A label for surfaces that render codicons: one line, hidden characters and `$(…)` escaped. */
export function plainLabel(s: string): string {
  return codiconEscape(oneLine(s));
}

/**
 * One line for a VS Code notification message, which turns `[text](https:|command:|file:…)` into
 * a clickable link (and nothing else): `](` is written `]\(` so no link can form.
 */
export function notificationText(s: string): string {
  return oneLine(s).replace(/\]\(/g, ']\\(');
}

/** Whether `s` would show in a notification exactly as it is (no link syntax to break). */
export function hasLinkSyntax(s: string): boolean {
  return /\]\(/.test(s);
}
