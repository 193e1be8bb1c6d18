// The tool registry: Claude Code's tool names, so `tools:` lists in `.claude/agents/*.md` and
// `disallowedTools` written for Claude Code select the same tools here.
import type { Tool as ApiTool, WebSearchTool20250305 } from '@anthropic-ai/sdk/resources/messages';
import type { Tool } from './context';
import { bashTool } from './bash';
import { editTool } from './edit';
import { globTool } from './glob';
import { grepTool } from './grep';
import { readTool } from './read';
import { webFetchTool } from './webFetch';
import { WEB_SEARCH_TOOL_NAME, webSearchDefinition } from './webSearch';
import { writeTool } from './write';

export * from './context';
export { bashTool, editTool, globTool, grepTool, readTool, webFetchTool, writeTool };
export { WEB_SEARCH_TOOL_NAME, WEB_SEARCH_DEFAULT_MAX_USES, webSearchDefinition } from './webSearch';

const TOOLS: readonly Tool[] = [readTool, writeTool, editTool, globTool, grepTool, bashTool, webFetchTool];

/** Every client-side tool, in a fixed order (a stable order keeps the prompt-cache prefix stable). */
export function allTools(): Tool[] {
  return [...TOOLS];
}

export interface ToolFilter {
  /** Tool names (or Claude Code rules like `Bash(rm:*)`) the agent must not have. */
  disallowed?: string[];
  /** When given, only these tools (an agent definition's `tools:`); `*` means all. */
  allowedOnly?: string[];
}

/**
 * Claude Code's rule syntax: a bare name (`Bash`) names a whole tool; a rule with a specifier
 * (`Bash(git diff:*)`) names some uses of it. So in `allowedOnly` a rule makes its tool available
 * (the permission layer narrows the uses), while in `disallowed` only a bare name removes a tool —
 * `Bash(rm:*)` must not take Bash away, it is a deny rule for the permission layer.
 * Unknown names (other products' tools, MCP tools) select nothing.
 */
export function isToolEnabled(name: string, filter: ToolFilter = {}): boolean {
  const bare = (rules: string[]) => rules.map((r) => r.trim());
  if (filter.disallowed && bare(filter.disallowed).includes(name)) return false;
  if (!filter.allowedOnly) return true;
  return bare(filter.allowedOnly).some((r) => r === '*' || r === name || r.startsWith(`${name}(`));
}

export function toolsFor(filter: ToolFilter = {}): Tool[] {
  return TOOLS.filter((t) => isToolEnabled(t.name, filter));
}

/** The server-side tools the same filter leaves in (today: WebSearch). */
export function serverToolsFor(filter: ToolFilter = {}, webSearchMaxUses?: number): WebSearchTool20250305[] {
  return isToolEnabled(WEB_SEARCH_TOOL_NAME, filter) ? [webSearchDefinition(webSearchMaxUses)] : [];
}

/** A tool as the Messages API `tools` entry (the loop adds `cache_control` to the last one). */
export function toApiTool(tool: Tool): ApiTool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}
