// Notifications render plain text: a Markdown code span in our own messages (`export const meta`)
// would show its backticks, so code spans become quoted text there.

/** `code` → "code" on the message's first line; later lines (a code frame of the script) stay verbatim. */
export function quoteCodeSpans(text: string): string {
  const nl = text.indexOf('\n');
  const head = nl === -1 ? text : text.slice(0, nl);
  return head.replace(/`([^`\n]+)`/g, '"$1"') + (nl === -1 ? '' : text.slice(nl));
}
