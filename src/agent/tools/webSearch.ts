// WebSearch runs on Anthropic's side (a server tool): the loop only lists its definition in the
// request and the API returns the results inside the assistant's message. Claude Code calls it
// "WebSearch"; on the wire it is `web_search`.
import type { WebSearchTool20250305 } from '@anthropic-ai/sdk/resources/messages';

/** The name agent definitions and `disallowedTools` use for it. */
export const WEB_SEARCH_TOOL_NAME = 'WebSearch';
export const WEB_SEARCH_DEFAULT_MAX_USES = 5;

export function webSearchDefinition(maxUses = WEB_SEARCH_DEFAULT_MAX_USES): WebSearchTool20250305 {
  return { type: 'web_search_20250305', name: 'web_search', max_uses: maxUses };
}
