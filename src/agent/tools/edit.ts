// Edit: exact string replacement in one file, through the host's Workspace. The old string must
// match exactly once (or replace_all), so an edit never lands somewhere the model did not mean.
import { defineTool, toolError } from './define';
import { resolvePath, statOrUndefined } from './resolvePath';
import { capText, clipLine, numberLine, splitLines } from './text';
import { specialFileRefusal } from './regularFile';

interface EditInput {
  file_path: string;
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

/** Lines of context shown around the edit, so the model can check it without another Read. */
const SNIPPET_CONTEXT = 4;
const SNIPPET_MAX_CHARS = 4000;

export const editTool = defineTool<EditInput>({
  name: 'Edit',
  description: [
    'Replaces exact text in a file in the workspace.',
    '- old_string must match the file exactly, whitespace and indentation included (copy it from Read output without the line-number prefix).',
    '- The edit fails if old_string is not found, or is found more than once: give more surrounding context to make it unique, or set replace_all to replace every occurrence (for renames).',
    '- An empty old_string creates a new file with new_string as its content.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      file_path: { type: 'string', description: 'The absolute path of the file to modify' },
      old_string: { type: 'string', description: 'The text to replace' },
      new_string: { type: 'string', description: 'The text to replace it with (must be different from old_string)' },
      replace_all: { type: 'boolean', description: 'Replace all occurrences of old_string (default false)' },
    },
    required: ['file_path', 'old_string', 'new_string'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const resolved = resolvePath(ctx, input.file_path);
    if (!resolved.ok) return resolved.result;
    const file = resolved.real;
    let { old_string: oldStr, new_string: newStr } = input;

    if (oldStr === newStr) return toolError('No changes to make: old_string and new_string are exactly the same.');
    if ((await statOrUndefined(file))?.isDirectory()) return toolError(`${file} is a directory, not a file.`);
    const special = await specialFileRefusal(file);
    if (special) return toolError(special);
    // Edit reads the file (its result shows the edited lines, a miss tells what is not there), so
    // a Read rule that keeps the file from the model applies too.
    const readAccess = await ctx.access.authorizeRead(file, ctx.signal);
    if (!readAccess.allowed) return toolError(readAccess.reason);
    const access = await ctx.access.authorizeWrite('Edit', file, ctx.signal);
    if (!access.allowed) return toolError(access.reason);

    if (!(await ctx.workspace.exists(file))) {
      if (oldStr !== '')
        return toolError(`File does not exist: ${file} (working directory: ${ctx.cwd}). To create a file, use Write.`);
      await ctx.workspace.writeFile(file, newStr);
      return { content: `File created successfully at: ${file}` };
    }

    const content = await ctx.workspace.readFile(file);
    if (oldStr === '') {
      if (content !== '')
        return toolError(
          `Cannot create ${file}: the file already exists and is not empty. Give old_string to edit it, or use Write to replace it.`,
        );
      await ctx.workspace.writeFile(file, newStr);
      return { content: `The file ${file} has been updated.` };
    }

    let count = countOccurrences(content, oldStr);
    // Read shows lines without their \r, so a model editing a CRLF file sends LF text: match it
    // against the file's own line endings rather than failing.
    if (count === 0 && content.includes('\r\n') && oldStr.includes('\n') && !oldStr.includes('\r')) {
      const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
      const n = countOccurrences(content, crlf(oldStr));
      if (n > 0) [oldStr, newStr, count] = [crlf(oldStr), crlf(newStr), n];
    }
    const shown = `String: ${clipLine(input.old_string, 500)}`;
    if (count === 0) {
      return toolError(
        `String to replace not found in ${file}. Check whitespace and indentation, and leave out Read's line-number prefix.\n${shown}`,
      );
    }
    if (count > 1 && !input.replace_all) {
      return toolError(
        `Found ${count} matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. To replace only one occurrence, give more context to uniquely identify the instance.\n${shown}`,
      );
    }

    const first = content.indexOf(oldStr);
    // split/join and slicing are literal: `$&` or `$1` in new_string stay as typed (String.replace would expand them).
    const updated = input.replace_all
      ? content.split(oldStr).join(newStr)
      : content.slice(0, first) + newStr + content.slice(first + oldStr.length);
    await ctx.workspace.writeFile(file, updated);

    const replaced = input.replace_all
      ? `${count} occurrence${count === 1 ? '' : 's'} replaced`
      : '1 occurrence replaced';
    return {
      content: `The file ${file} has been updated (${replaced}). The edited region${count > 1 ? ' (first occurrence)' : ''}:\n${snippet(updated, first, newStr.length)}`,
    };
  },
});

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** The changed lines plus a few either side, numbered like Read so the model can keep editing. */
function snippet(text: string, at: number, length: number): string {
  const lines = splitLines(text);
  const firstLine = lineIndexAt(text, at);
  const lastLine = lineIndexAt(text, at + Math.max(0, length - 1));
  const from = Math.max(0, firstLine - SNIPPET_CONTEXT);
  const to = Math.min(lines.length, lastLine + SNIPPET_CONTEXT + 1);
  const body = lines
    .slice(from, to)
    .map((l, i) => numberLine(from + i + 1, clipLine(l, 500)))
    .join('\n');
  return capText(body, SNIPPET_MAX_CHARS, 'Use Read to see the rest.').text;
}

function lineIndexAt(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
