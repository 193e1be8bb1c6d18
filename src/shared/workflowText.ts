// Which texts are workflow scripts: those whose first statement is `export const meta = …`.
// Checked on the head only (comments and a hashbang may come first), so a script whose meta or
// body does not parse still counts. Shared by the editor features and the TypeScript plugin.

const HEAD = /^(?:#![^\n]*)?(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*export\s+const\s+meta\s*=/;

export function isWorkflowText(text: string): boolean {
  return HEAD.test(text);
}

/** A `.js` file saved in a `.claude/workflows` folder (either path separator). */
export function isInWorkflowsFolder(fileName: string): boolean {
  return /[\\/]\.claude[\\/]workflows[\\/][^\\/]+\.js$/.test(fileName);
}
