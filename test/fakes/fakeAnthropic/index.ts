// The fake Messages API server and its scripting helpers, for tests and benchmarks.
export { FakeAnthropicServer } from './server';
export {
  assistantTurns,
  byPrompt,
  byTurn,
  echo,
  firstUserText,
  lastUserText,
  systemText,
  toolNames,
  toolResults,
} from './script';
export type { ScriptStep, ToolResult } from './script';
export { countTokens } from './model';
export { searchResultsSoFar } from './webSearch';
export type { FakeSearchResult, FakeWebSearch } from './webSearch';
export type * from './types';
export { ACCOUNT_RATE_LIMIT_MESSAGE, exhaustedTokens, longRetryAfter, usageLimitReached } from './rateLimits';
