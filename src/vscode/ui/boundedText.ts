// Untrusted text (a script's meta, prompts, stored args) made safe to put in a plain-text dialog:
// invisible and layout-changing characters become visible escapes, and its size is bounded so it
// cannot fake the runtime's own lines or push them out of view.
import { visibleText } from '../../core';

/** Every hidden or layout-changing character as a visible escape (src/core/display.ts's convention); tabs as a space. */
export function visible(text: string): string {
  return visibleText(text.replace(/\t/g, ' '));
}

/** One line of at most `max` characters (line breaks shown as ⏎), ending in … when cut. */
export function oneLine(text: string, max: number): string {
  return clip(visible(text.replace(/\r\n?|\n/g, ' ⏎ ')), max);
}

/** At most `maxLines` lines of at most `maxChars` characters each, every line indented by `indent`. */
export function block(text: string, options: { maxLines: number; maxChars: number; indent: string }): string[] {
  const lines = text.split(/\r\n?|\n/).map((l) => l.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const shown = lines.slice(0, options.maxLines).map((l) => options.indent + clip(visible(l), options.maxChars));
  if (lines.length > options.maxLines)
    shown.push(
      `${options.indent}… ${lines.length - options.maxLines} more line${lines.length - options.maxLines === 1 ? '' : 's'} (View Script shows all)`,
    );
  return shown;
}

export function clip(s: string, n: number): string {
  const chars = [...s]; // by code point: never split a surrogate pair
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}
