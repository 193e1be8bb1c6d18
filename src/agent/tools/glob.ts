// Glob: file paths matching a pattern, from disk, sorted by path and capped.
import { defineTool, toolError } from './define';
import { resolvePath, statOrUndefined } from './resolvePath';
import { isSpecialFile } from './regularFile';
import { capText } from './text';
import type { ToolContext } from './context';
import { listFiles } from './walk';

/** Claude Code returns at most 100 paths per call. */
export const GLOB_MAX_RESULTS = 100;

interface GlobInput {
  pattern: string;
  path?: string;
}

export const globTool = defineTool<GlobInput>({
  name: 'Glob',
  description: [
    'Finds files by glob pattern, such as "**/*.ts" or "src/**/*.{js,jsx}". Returns absolute paths sorted by path.',
    '- The pattern is relative to path (a directory) or to the working directory when path is left out.',
    `- node_modules and .git are left out unless the pattern names them; symbolic links are not followed. At most ${GLOB_MAX_RESULTS} paths are returned.`,
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'The glob pattern to match files against' },
      path: { type: 'string', description: 'The directory to search in. Leave it out to use the working directory' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    if (input.pattern.trim() === '') return toolError('The pattern is empty.');
    const resolved = resolvePath(ctx, input.path ?? ctx.cwd);
    if (!resolved.ok) return resolved.result;
    const dir = resolved.real;
    const stat = await statOrUndefined(dir);
    if (!stat) return toolError(`Directory does not exist: ${dir}`);
    if (!stat.isDirectory()) return toolError(`${dir} is not a directory; Glob's path must be a directory.`);

    const found = await listFiles(ctx, dir, [input.pattern]);
    const shown: string[] = [];
    let refused = 0;
    let unreadable = 0;
    let special = 0;
    let i = 0;
    // Guard-check lazily: only as many as are shown, since a big tree can match tens of thousands.
    for (; i < found.length && shown.length < GLOB_MAX_RESULTS; i++) {
      const real = realPathInside(ctx, found[i]);
      if (real === undefined) refused++;
      else if (!ctx.access.readable(real).allowed)
        unreadable++; // a Read(…) deny or ask rule hides it
      else if (isSpecialFile(found[i]))
        special++; // FIFOs, devices, sockets: no file tool opens them
      else shown.push(found[i]);
    }
    const notes: string[] = [];
    if (refused > 0) notes.push(`[${refused} match(es) outside the workspace were left out.]`);
    if (unreadable > 0) notes.push(`[${unreadable} match(es) were left out by Read(…) permission rules.]`);
    if (special > 0)
      notes.push(`[${special} match(es) that are not regular files (FIFOs, devices, sockets) were left out.]`);
    if (i < found.length) {
      notes.push(
        `[Results are truncated: showing the first ${shown.length} of ${found.length - refused - unreadable - special} paths. Use a more specific path or pattern.]`,
      );
    }
    if (shown.length === 0) return { content: ['No files found', ...notes].join('\n') };
    return {
      content: capText([...shown, ...notes].join('\n'), ctx.limits.outputChars, 'Use a more specific path or pattern.')
        .text,
    };
  },
});

/** The real path of a listed file when the guard accepts it; undefined for anything outside. */
function realPathInside(ctx: ToolContext, file: string): string | undefined {
  try {
    const check = ctx.paths.resolve(file);
    return check.ok ? check.real : undefined;
  } catch {
    return undefined;
  }
}
