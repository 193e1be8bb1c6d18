// The subagent loop (spec §3.1): stream a turn, run the tools it asks for, repeat until the
// model ends its turn. Without a schema the final text is the result; with one the model must
// call StructuredOutput exactly once (Ajv-checked, 5 tries, one nudge).
import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type { AgentOutcome, AgentProgress } from '../core/ports';
import type { TokenUsage } from '../core/types';
import { addUsage, zeroUsage } from '../shared/usage';
import type { Tool, ToolContext } from './tools';
import { toApiTool } from './tools';
import type { RunBackoff } from './backoff';
import { requestTurn, StallError, TerminalApiError, type RequestPolicy } from './request';
import {
  checkStructuredOutput,
  MAX_STRUCTURED_ATTEMPTS,
  MESSAGES_STRUCTURED,
  STRUCTURED_OUTPUT,
  structuredOutputTool,
} from './structuredOutput';
import { costUsd, type Effort } from './models';
import type { Transcript } from './transcript';
import type { Redactor } from './redact';
import type { DurableSteps } from './durable';

export interface LoopInput {
  agentId: string;
  label: string;
  prompt: string;
  system: string;
  model: string;
  effort?: Effort;
  tools: Tool[];
  serverTools: ToolUnion[];
  schema?: Record<string, unknown>;
  maxTurns: number;
  maxTokens: number;
}

export interface LoopDeps {
  client: Anthropic;
  backoff: RunBackoff;
  policy: RequestPolicy;
  toolContext: ToolContext;
  transcript: Transcript;
  log?(message: string): void;
  /** Scrubs secret values from every tool result before the model or the transcript sees it. */
  redactor?: Redactor;
  /** Records each turn and tool call as a step (remote workers); absent: they simply run. */
  durable?: DurableSteps;
}

function usageOf(m: Message, model: string): TokenUsage {
  const u = m.usage;
  const usage: TokenUsage = {
    input: u.input_tokens ?? 0,
    output: u.output_tokens ?? 0,
    cacheRead: u.cache_read_input_tokens ?? 0,
    cacheWrite: u.cache_creation_input_tokens ?? 0,
  };
  usage.costUsd = costUsd(model, usage);
  return usage;
}

function finalText(content: ContentBlock[]): string {
  return content
    .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('')
    .trim();
}

/**
 * The request's cacheable prefix: system prompt and tool definitions carry cache_control so
 * sibling agents share one cached prefix; the newest message is marked too, so each turn of
 * the same agent reads the conversation so far from the cache.
 */
function buildParams(input: LoopInput, messages: MessageParam[]): MessageCreateParamsNonStreaming {
  const tools: ToolUnion[] = input.tools.map(toApiTool);
  if (input.schema) tools.push(structuredOutputTool(input.schema));
  tools.push(...input.serverTools);
  if (tools.length)
    tools[tools.length - 1] = { ...tools[tools.length - 1], cache_control: { type: 'ephemeral' } } as ToolUnion;
  const last = messages[messages.length - 1];
  const marked: MessageParam[] = messages.slice(0, -1);
  if (last) {
    const blocks: ContentBlockParam[] =
      typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
    const end = blocks.length - 1;
    blocks[end] = { ...blocks[end], cache_control: { type: 'ephemeral' } } as ContentBlockParam;
    marked.push({ ...last, content: blocks } as MessageParam);
  }
  const system: TextBlockParam[] = [{ type: 'text', text: input.system, cache_control: { type: 'ephemeral' } }];
  const params: MessageCreateParamsNonStreaming = {
    model: input.model,
    max_tokens: input.maxTokens,
    system,
    tools,
    messages: marked,
  };
  if (input.effort) params.output_config = { effort: input.effort };
  return params;
}

export async function runAgentLoop(
  input: LoopInput,
  deps: LoopDeps,
  signal: AbortSignal,
  progress: AgentProgress,
): Promise<AgentOutcome> {
  const messages: MessageParam[] = [{ role: 'user', content: input.prompt }];
  const toolsByName = new Map(input.tools.map((t) => [t.name, t]));
  const toolsUsed = new Set<string>();
  // Failed or denied tool calls: a finished agent with any is shown apart from a clean success.
  let toolErrors = 0;
  let usage = zeroUsage();
  let structuredFailures = 0;
  let lastStructuredError: string;
  let nudged = false;
  const end = (outcome: AgentOutcome, detail?: string): AgentOutcome => {
    deps.transcript.write({ type: 'end', outcome: outcome.kind, detail });
    return outcome;
  };

  try {
    for (let turn = 1; turn <= input.maxTurns; turn++) {
      const ask = () =>
        requestTurn(deps.client, buildParams(input, messages), deps.backoff, deps.policy, signal, {
          retry: (reason, waitMs) => {
            deps.transcript.write({ type: 'retry', reason, waitMs });
            deps.log?.(`[${input.label}] ${reason}${waitMs ? ` — waiting ${Math.round(waitMs)} ms` : ''}`);
          },
          usageLimit: (until, reason) => {
            deps.transcript.write({ type: 'retry', reason: `usage limit: ${reason}`, waitMs: until - Date.now() });
            progress.usageLimit?.(until, reason);
          },
        });
      const response = deps.durable ? await deps.durable.turn(turn, ask) : await ask();
      deps.transcript.write({ type: 'response', turn, message: response });
      const delta = usageOf(response, input.model);
      usage = addUsage(usage, delta);
      progress.usage?.(delta);
      messages.push({ role: 'assistant', content: response.content as ContentBlockParam[] });

      const calls = response.content.filter(
        (b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
      );
      if (calls.length === 0) {
        if (!input.schema)
          return end({
            kind: 'done',
            result: finalText(response.content),
            usage,
            toolsUsed: [...toolsUsed],
            model: input.model,
            ...(toolErrors && { toolErrors }),
          });
        if (nudged) return end({ kind: 'error', error: { name: 'Error', message: MESSAGES_STRUCTURED.noCall }, usage });
        nudged = true;
        messages.push({ role: 'user', content: MESSAGES_STRUCTURED.nudge });
        continue;
      }

      const results: ToolResultBlockParam[] = [];
      for (const call of calls) {
        const started = Date.now();
        let content: string;
        let isError = false;
        if (call.name === STRUCTURED_OUTPUT && input.schema) {
          const check = await checkStructuredOutput(input.schema, call.input);
          if (check.ok) {
            deps.transcript.write({
              type: 'tool',
              turn,
              id: call.id,
              name: call.name,
              input: call.input,
              result: 'accepted',
              isError: false,
              ms: 0,
            });
            return end({
              kind: 'done',
              result: check.value,
              usage,
              toolsUsed: [...toolsUsed],
              model: input.model,
              ...(toolErrors && { toolErrors }),
            });
          }
          structuredFailures++;
          lastStructuredError = check.message;
          if (structuredFailures >= MAX_STRUCTURED_ATTEMPTS) {
            return end({
              kind: 'error',
              error: { name: 'Error', message: MESSAGES_STRUCTURED.retryCap(structuredFailures, lastStructuredError) },
              usage,
            });
          }
          content = MESSAGES_STRUCTURED.toolError(check.message);
          isError = true;
        } else {
          const tool = toolsByName.get(call.name);
          if (!tool) {
            content = `Unknown tool ${call.name}. Available: ${[...toolsByName.keys()].join(', ')}`;
            isError = true;
          } else {
            progress.tool?.(call.name);
            toolsUsed.add(call.name);
            const runTool = () => tool.run(call.input, deps.toolContext);
            const r = deps.durable ? await deps.durable.tool(turn, call.id, runTool) : await runTool();
            content = r.content;
            isError = !!r.isError;
            if (isError) toolErrors++;
          }
        }
        if (signal.aborted) throw signal.reason;
        if (deps.redactor) content = deps.redactor.redact(content);
        deps.transcript.write({
          type: 'tool',
          turn,
          id: call.id,
          name: call.name,
          input: call.input,
          result: content,
          isError,
          ms: Date.now() - started,
        });
        results.push({ type: 'tool_result', tool_use_id: call.id, content, is_error: isError || undefined });
      }
      messages.push({ role: 'user', content: results });
    }
    return end({ kind: 'null', reason: `turn limit (${input.maxTurns}) reached without a final answer`, usage });
  } catch (e) {
    if (e instanceof StallError)
      return end({ kind: 'error', error: { name: 'Error', message: e.message }, usage }, e.message);
    if (e instanceof TerminalApiError) return end({ kind: 'null', reason: e.message, usage }, e.message);
    if (signal.aborted) {
      end({ kind: 'null', reason: 'aborted', usage }, 'aborted');
      throw e;
    }
    const message = e instanceof Error ? e.message : String(e);
    return end({ kind: 'null', reason: message, usage }, message);
  }
}
