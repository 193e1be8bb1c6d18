// The checker reads a script with acorn in the module goal; QuickJS evaluates the compiled text as
// a global script. Annex B HTML-like comments (`<!--`, and `-->` at the start of a line) exist only
// in the script goal, so `b <!-- /* … */ c` is an expression to the checker and a comment plus
// unchecked code to QuickJS. Both are refused, and the compiled text is read again in QuickJS's goal
// to prove it has exactly the comments the checker saw (nothing hidden, nothing revealed).
import * as acorn from 'acorn';
import { MESSAGES } from '../errors';
import { fail, type ErrorSite } from './codeFrame';
import { ACORN_OPTIONS, commentText, type CommentText } from './syntax';

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Throws at the first `<!--` or line-start `-->` that sits between tokens (not inside a string,
 * template, regex or comment). Re-parses only when the text occurs at all, which is rare.
 */
export function checkNoHtmlComments(site: ErrorSite): void {
  const { source } = site;
  if (!source.includes('<!--') && !source.includes('-->')) return;
  let prevEnd = -1;
  let found: number | undefined;
  acorn.parse(source, {
    ...ACORN_OPTIONS,
    onToken: (token) => {
      if (found === undefined) {
        // Operator tokens only: a template chunk or string may start with the same text.
        if (token.type === acorn.tokTypes.relational && source.startsWith('<!--', token.start)) found = token.start;
        // `-->` is a comment in the script goal only after a line break (or at the very start).
        else if (
          token.type === acorn.tokTypes.incDec &&
          source.startsWith('-->', token.start) &&
          (prevEnd < 0 || LINE_BREAK.test(source.slice(prevEnd, token.start)))
        ) {
          found = token.start;
        }
      }
      prevEnd = token.end;
    },
  });
  if (found !== undefined) fail(site, found, MESSAGES.htmlComment);
}

/**
 * Parses the compiled text in the goal QuickJS uses (a global script, Annex B comments on) and
 * throws unless its comments are exactly the checked source's: any difference means the sandbox
 * would run code the checker did not see. The transform inserts no comments.
 */
export function checkSameProgram(site: ErrorSite, compiled: string, checkedComments: readonly CommentText[]): void {
  const seen: CommentText[] = [];
  let why: string | undefined;
  try {
    acorn.parse(compiled, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      onComment: (block, text) => seen.push(commentText(block, text)),
    });
  } catch (e) {
    why = `it does not parse as a script (${(e as Error).message})`;
  }
  if (why === undefined) {
    const at = firstDifference(seen, checkedComments);
    if (at === undefined) return;
    why = `comment ${at + 1} differs`;
  }
  fail(site, 0, MESSAGES.programMismatch(why));
}

function firstDifference(a: readonly string[], b: readonly string[]): number | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return undefined;
}
