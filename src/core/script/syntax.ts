// acorn with the official options (spec §2.2) and parse errors turned into ScriptErrors with a
// frame and the "plain JavaScript" hint.
import * as acorn from 'acorn';
import { MESSAGES, ScriptSyntaxError } from '../errors';
import { errorAt, fail, type ErrorSite } from './codeFrame';

// `locations` is off: errors compute line/column from offsets (codeFrame.ts), and skipping
// acorn's per-node location objects makes large scripts parse about a third faster.
export const ACORN_OPTIONS: acorn.Options = {
  ecmaVersion: 'latest',
  sourceType: 'module',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
};

/** A comment as either goal reports it (kind and text), for comparing the two readings. */
export type CommentText = string;

export function commentText(block: boolean, text: string): CommentText {
  return (block ? '*' : '/') + text;
}

interface AcornSyntaxError extends SyntaxError {
  pos?: number;
}

/**
 * Parses the whole file as a module; throws `Script parse error: …` + hint on failure. With
 * `comments`, every comment is appended to it as `commentText` (see sameProgram.ts).
 */
export function parseModule(site: ErrorSite, comments?: CommentText[]): acorn.Program {
  try {
    const onComment = comments && ((block: boolean, text: string) => void comments.push(commentText(block, text)));
    return acorn.parse(site.source, onComment ? { ...ACORN_OPTIONS, onComment } : ACORN_OPTIONS);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const pos = (e as AcornSyntaxError).pos ?? 0;
    const msg = e.message.replace(/\s*\(\d+:\d+\)$/, '');
    // Modules are strict, so acorn refuses `with` itself; give the workflow-specific message.
    if (msg === "'with' in strict mode") fail(site, pos, MESSAGES.withStatement);
    const named = msg === 'Unexpected token' ? unexpectedToken(site.source, pos) : msg;
    const at = errorAt(`${MESSAGES.parseError(named)}\n${MESSAGES.parseHint}`, site.source, site.file, pos);
    throw new ScriptSyntaxError(at.message, at.file, at.line, at.column, at.frame);
  }
}

/** Longest token text a message quotes; a long string or template is cut with '…'. */
const MAX_TOKEN_TEXT = 24;

/**
 * acorn says only "Unexpected token": name it, as V8 does (`Unexpected token ':'`), so the message
 * alone tells what to look at. The token is read by acorn's own tokenizer from the error offset.
 */
export function unexpectedToken(source: string, pos: number): string {
  let text: string;
  try {
    const token = acorn.tokenizer(source.slice(pos), ACORN_OPTIONS).getToken();
    if (token.type === acorn.tokTypes.eof) return 'Unexpected end of input';
    text = source.slice(pos + token.start, pos + token.end);
  } catch {
    // Not a token on its own (an unterminated string from here): the character names it.
    text = String.fromCodePoint(source.codePointAt(pos) ?? 0x20);
  }
  const line = text.split('\n')[0];
  const shown = line.length > MAX_TOKEN_TEXT ? `${line.slice(0, MAX_TOKEN_TEXT - 1)}…` : line;
  return `Unexpected token '${shown}'`;
}
