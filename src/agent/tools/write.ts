// Write: creates or replaces a whole file through the host's Workspace (in VS Code an undoable
// WorkspaceEdit; in the CLI an atomic write). The path guard keeps it inside the workspace; the
// access gate applies Edit/Write rules and asks before protected paths (.git/, .claude/, …).
import { defineTool, toolError } from './define';
import { resolvePath, statOrUndefined } from './resolvePath';
import { specialFileRefusal } from './regularFile';

interface WriteInput {
  file_path: string;
  content: string;
}

export const writeTool = defineTool<WriteInput>({
  name: 'Write',
  description: [
    'Writes a file in the workspace, creating it (and missing parent folders) or replacing all of its content.',
    '- file_path should be an absolute path inside the workspace; paths outside are refused.',
    '- To change part of an existing file prefer Edit, which sends only the change. Read a file before replacing it.',
  ].join('\n'),
  inputSchema: {
    type: 'object',
    properties: {
      file_path: {
        type: 'string',
        description: 'The absolute path of the file to write (must be absolute, not relative)',
      },
      content: { type: 'string', description: 'The content to write to the file' },
    },
    required: ['file_path', 'content'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const resolved = resolvePath(ctx, input.file_path);
    if (!resolved.ok) return resolved.result;
    const file = resolved.real;
    if ((await statOrUndefined(file))?.isDirectory())
      return toolError(`${file} is a directory; Write needs a file path.`);
    const special = await specialFileRefusal(file);
    if (special) return toolError(special);
    const access = await ctx.access.authorizeWrite('Write', file, ctx.signal);
    if (!access.allowed) return toolError(access.reason);
    const existed = await ctx.workspace.exists(file);
    await ctx.workspace.writeFile(file, input.content);
    return { content: existed ? `The file ${file} has been overwritten.` : `File created successfully at: ${file}` };
  },
});
