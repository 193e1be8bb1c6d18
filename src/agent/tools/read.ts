// Read: a text file with `cat -n` line numbers, through the host's Workspace (so in VS Code the
// model sees what the editor shows, unsaved changes included).
import { defineTool, toolError } from './define';
import { resolvePath, statOrUndefined } from './resolvePath';
import { clipLine, looksBinary, numberLine, splitLines } from './text';
import { specialFileMessage, specialKind } from './regularFile';

/** Claude Code's defaults: 2 000 lines per call, lines cut at 2 000 characters. */
export const READ_DEFAULT_LINES = 2000;
export const READ_MAX_LINE_CHARS = 2000;

interface ReadInput {
  file_path: string;
  offset?: number;
  limit?: number;
}

export const readTool = defineTool<ReadInput>({
  name: 'Read',
  description: [
    'Reads a text file from the workspace. Output is in `cat -n` format: line number, a tab, the line.',
    `- file_path should be an absolute path (a relative one is taken from the working directory).`,
    `- Reads up to ${READ_DEFAULT_LINES} lines from the start by default; use offset (1-based line to start at) and limit (number of lines) for long files.`,
    `- Lines longer than ${READ_MAX_LINE_CHARS} characters are cut. When output is cut, a note at the end says where to continue.`,
    '- Directories cannot be read: use Glob or `ls` through Bash. Binary files are refused.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      file_path: { type: 'string', description: 'The absolute path of the file to read' },
      offset: {
        type: 'integer',
        minimum: 0,
        description: 'The line number to start reading from (1-based). Only give it for files too long to read at once',
      },
      limit: {
        type: 'integer',
        minimum: 1,
        description: 'The number of lines to read. Only give it for files too long to read at once',
      },
    },
    required: ['file_path'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const resolved = resolvePath(ctx, input.file_path);
    if (!resolved.ok) return resolved.result;
    const file = resolved.real;
    const access = await ctx.access.authorizeRead(file, ctx.signal);
    if (!access.allowed) return toolError(access.reason);

    const stat = await statOrUndefined(file);
    const special = stat && specialKind(stat);
    if (special) return toolError(specialFileMessage(file, special));
    if (stat?.isDirectory()) {
      return toolError(`${file} is a directory, not a file. Use Glob (or \`ls\` through Bash) to list what is in it.`);
    }
    if (!stat && !(await ctx.workspace.exists(file))) {
      return toolError(`File does not exist: ${file} (working directory: ${ctx.cwd}).`);
    }

    const text = await ctx.workspace.readFile(file);
    if (looksBinary(text))
      return toolError(`${file} looks like a binary file (it contains NUL bytes); Read shows text files only.`);

    const lines = splitLines(text);
    if (lines.length === 0) return { content: `(The file ${file} exists but is empty.)` };

    const start = Math.max(1, input.offset ?? 1);
    if (start > lines.length) {
      return { content: `(The file ${file} has ${lines.length} lines; offset ${start} is past its end.)` };
    }
    const wanted = lines.slice(start - 1, start - 1 + (input.limit ?? READ_DEFAULT_LINES));

    // Whole lines only, within the character budget, so the model can continue from a line number.
    const out: string[] = [];
    let size = 0;
    let clipped = 0;
    for (let i = 0; i < wanted.length; i++) {
      const line = clipLine(wanted[i], READ_MAX_LINE_CHARS);
      if (line !== wanted[i]) clipped++;
      const numbered = numberLine(start + i, line);
      if (out.length > 0 && size + numbered.length + 1 > ctx.limits.outputChars) break;
      out.push(numbered);
      size += numbered.length + 1;
    }
    const last = start + out.length - 1;
    const notes: string[] = [];
    if (out.length < wanted.length) {
      notes.push(
        `[Output cut at ${ctx.limits.outputChars} characters: showed lines ${start}–${last} of ${lines.length}. Continue with offset=${last + 1}.]`,
      );
    } else if (start > 1 || last < lines.length) {
      notes.push(
        `[Showed lines ${start}–${last} of ${lines.length}.${last < lines.length ? ` Continue with offset=${last + 1}.` : ''}]`,
      );
    }
    if (clipped > 0) notes.push(`[${clipped} line(s) longer than ${READ_MAX_LINE_CHARS} characters were cut.]`);
    return { content: [...out, ...notes].join('\n') };
  },
});
