// The one reading of `args` typed by a person (dwf --args, the editor's args box): JSON when it
// is JSON, other text as a plain string (scripts accept both: `typeof args === 'string' ?
// JSON.parse(args) : args`), nothing when empty. Text starting with {, [ or " was meant as JSON,
// so broken JSON there is an error rather than a surprising string.
import { positionAt } from './script/positions';

export type ArgsText = { ok: true; args: unknown; given: boolean } | { ok: false; error: string };

/** `source` names where the text came from in the error, e.g. "--args" or "args". */
export function parseArgsText(text: string, source: string): ArgsText {
  const t = text.trim();
  // Empty or blank: no args given (a resume keeps the stored ones).
  if (t === '') return { ok: true, args: undefined, given: false };
  try {
    return { ok: true, args: JSON.parse(t) as unknown, given: true };
  } catch (e) {
    if (!/^[[{"]/.test(t)) return { ok: true, args: text, given: true };
    return {
      ok: false,
      error: `${source} is not valid JSON${where(text, (e as Error).message)}: ${reason((e as Error).message)}. Text that starts with {, [ or " is read as JSON: fix it, or pass a plain string that does not start with those characters.`,
    };
  }
}

/** V8 gives "at position N" of the trimmed text (not always); shown as line and column of what was typed. */
function where(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  const lead = text.length - text.trimStart().length;
  const offset = m ? lead + Number(m[1]) : /Unexpected end/.test(message) ? text.trimEnd().length : undefined;
  if (offset === undefined) return '';
  const { line, column } = positionAt(text, offset);
  return ` at line ${line}, column ${column}`;
}

/** V8's reason without its position, the "in JSON" filler or a copy of the text (which may be long). */
function reason(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ of JSON input$/, ' of input');
}
