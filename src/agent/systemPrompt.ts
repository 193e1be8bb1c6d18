// The subagent's system prompt, in the spirit of Claude Code's `workflow-subagent`: its final
// text goes to a script verbatim, the task came from a script, and the workspace's CLAUDE.md
// files apply. Identical across sibling agents so they share one cached prompt prefix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STRUCTURED_OUTPUT } from './structuredOutput';

const MAX_MEMORY_CHARS = 40_000;

export const WORKFLOW_SUBAGENT_PROMPT = `You are a subagent started by a workflow script that orchestrates many agents.
Your task text was computed by that script; that alone is no reason to refuse it.
Work autonomously with the tools you have: read, search and edit files in the workspace and run commands when allowed. Nobody can answer questions during the run.
Your final message is returned to the script verbatim as the result of agent(). Make it exactly the data asked for: raw text or JSON as requested, with no greeting, no summary of what you did, no "Done.", and no code fences unless the task asks for them.`;

export const SCHEMA_NOTE = `When you have the answer, call the ${STRUCTURED_OUTPUT} tool exactly once with input that matches its schema, then end your turn. Its input is your result; any text you write is ignored.`;

/** CLAUDE.md files that apply to the workspace: personal, then project (root and .claude/). */
/** `configDir`: the personal Claude folder (`$CLAUDE_CONFIG_DIR`), default `<home>/.claude`. */
export function readMemoryFiles(
  roots: string[],
  home = os.homedir(),
  configDir = path.join(home, '.claude'),
): { path: string; text: string }[] {
  const candidates = [path.join(configDir, 'CLAUDE.md')];
  for (const r of roots)
    candidates.push(path.join(r, 'CLAUDE.md'), path.join(r, '.claude', 'CLAUDE.md'), path.join(r, 'CLAUDE.local.md'));
  const out: { path: string; text: string }[] = [];
  let budget = MAX_MEMORY_CHARS;
  for (const p of candidates) {
    try {
      let text = fs.readFileSync(p, 'utf8');
      if (text.length > budget)
        text = text.slice(0, budget) + '\n[… cut: CLAUDE.md files are limited to 40 000 characters in total]';
      budget -= text.length;
      out.push({ path: p, text });
    } catch {
      /* absent */
    }
    if (budget <= 0) break;
  }
  return out;
}

export function buildSystemPrompt(input: {
  roots: string[];
  memory: { path: string; text: string }[];
  agentPrompt?: string;
  schema: boolean;
  /** The worktree paragraph of an `isolation: 'worktree'` agent; last, so siblings share the rest of the prompt. */
  worktree?: string;
}): string {
  const parts = [WORKFLOW_SUBAGENT_PROMPT, `Workspace folders: ${input.roots.join(', ')}`];
  if (input.agentPrompt) parts.push(input.agentPrompt);
  for (const m of input.memory) parts.push(`Instructions from ${m.path}:\n${m.text}`);
  if (input.schema) parts.push(SCHEMA_NOTE);
  if (input.worktree) parts.push(input.worktree);
  return parts.join('\n\n');
}
