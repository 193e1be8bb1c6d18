// agent({agentType}) definitions: Claude Code's `.claude/agents/*.md` files — YAML frontmatter
// (name, description, tools, disallowedTools, model) and a body that is the agent's system
// prompt — from the project and the personal folder, over Claude Code's built-in types
// (`general-purpose`, `Explore`, `Plan`); a file of the same name overrides a built-in.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface AgentDefinition {
  name: string;
  description: string;
  /** Tools it may use; undefined = all. */
  tools?: string[];
  disallowedTools?: string[];
  model?: string;
  systemPrompt: string;
  path?: string;
}

export const GENERAL_PURPOSE: AgentDefinition = {
  name: 'general-purpose',
  description: 'General-purpose agent for researching, searching code and multi-step tasks',
  systemPrompt: '',
};

const READ_ONLY_TOOLS_DENIED = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

/** Claude Code's read-only agents: Write and Edit taken away; Bash stays, behind the permission gate. */
export const EXPLORE: AgentDefinition = {
  name: 'Explore',
  description:
    'Fast agent specialized for exploring codebases: finds files by pattern, searches code for keywords, answers questions about the codebase. Read-only.',
  disallowedTools: READ_ONLY_TOOLS_DENIED,
  model: 'haiku',
  systemPrompt: [
    'You are a file search specialist. You explore the codebase quickly and report what you find.',
    'This is a READ-ONLY task: do not create, modify or delete files. Use Glob, Grep and Read; use Bash only for read-only commands (ls, git status, git log, git diff, find, cat, head, tail).',
    'Return absolute file paths and the relevant findings, clearly and concisely.',
  ].join('\n'),
};

export const PLAN: AgentDefinition = {
  name: 'Plan',
  description: 'Read-only research agent for planning: explores the codebase and designs an implementation plan.',
  disallowedTools: READ_ONLY_TOOLS_DENIED,
  systemPrompt: [
    'You are a software architect and planning specialist. You explore the codebase and design implementation plans.',
    'This is a READ-ONLY task: do not create, modify or delete files. Use Glob, Grep and Read; use Bash only for read-only commands.',
    'End with a step-by-step plan and the files that matter most for carrying it out.',
  ].join('\n'),
};

export const BUILT_IN_AGENTS: readonly AgentDefinition[] = [GENERAL_PURPOSE, EXPLORE, PLAN];

function list(v: unknown): string[] | undefined {
  if (Array.isArray(v))
    return v
      .map(String)
      .map((s) => s.trim())
      .filter(Boolean);
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}

/** Parses one definition file; returns an error message instead of throwing. */
export function parseAgentDefinition(text: string, file: string): AgentDefinition | { error: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { error: `${file}: missing the --- frontmatter block` };
  let front: unknown;
  try {
    front = parseLenient(m[1]);
  } catch (e) {
    return { error: `${file}: invalid frontmatter (YAML): ${(e as Error).message}` };
  }
  if (!front || typeof front !== 'object') return { error: `${file}: frontmatter must be a mapping` };
  const f = front as Record<string, unknown>;
  const name = typeof f.name === 'string' && f.name.trim() ? f.name.trim() : path.basename(file, '.md');
  const tools = list(f.tools);
  return {
    name,
    description: typeof f.description === 'string' ? f.description : '',
    tools: tools && !tools.includes('*') ? tools : undefined,
    disallowedTools: list(f.disallowedTools),
    model: typeof f.model === 'string' && f.model !== 'inherit' ? f.model : undefined,
    systemPrompt: m[2].trim(),
    path: file,
  };
}

/**
 * Frontmatter as Claude Code reads it: strict YAML first; when that fails, top-level values that
 * strict YAML rejects — typically an unquoted `description: Use this for one thing: the repro` —
 * are quoted and the text parsed again. The first error is the one reported if both fail.
 */
export function parseLenient(text: string): unknown {
  try {
    return parseYaml(text);
  } catch (first) {
    const quoted = text
      .split(/\r?\n/)
      .map((line) => {
        const kv = /^([A-Za-z_][\w-]*):[ \t]+(.*?)[ \t]*$/.exec(line);
        if (!kv || /^["'[{|>&*!#]/.test(kv[2])) return line;
        return `${kv[1]}: ${JSON.stringify(kv[2])}`;
      })
      .join('\n');
    if (quoted === text) throw first;
    try {
      return parseYaml(quoted);
    } catch {
      throw first;
    }
  }
}

/** A plugin's agents (from core/registry's plugin discovery): folders or single `.md` files. */
export interface PluginAgents {
  name: string;
  agentPaths: readonly string[];
}

/**
 * Built-ins, then plugin agents (as `<plugin>:<name>`), then personal definitions, then project
 * ones; a later one of the same name wins. Problems come back as warnings.
 */
export function loadAgentDefinitions(
  workspaceRoot: string,
  home = os.homedir(),
  plugins: readonly PluginAgents[] = [],
  /** The personal Claude folder (`$CLAUDE_CONFIG_DIR`); default `<home>/.claude`. */
  configDir = path.join(home, '.claude'),
): { agents: Map<string, AgentDefinition>; warnings: string[] } {
  const agents = new Map<string, AgentDefinition>(BUILT_IN_AGENTS.map((a) => [a.name, a]));
  const warnings: string[] = [];
  const load = (files: string[], prefix: string) => {
    for (const file of files) {
      const def = parseAgentDefinition(fs.readFileSync(file, 'utf8'), file);
      if ('error' in def) warnings.push(def.error);
      else agents.set(prefix + def.name, { ...def, name: prefix + def.name });
    }
  };
  for (const plugin of plugins) {
    for (const p of plugin.agentPaths) load(p.endsWith('.md') ? [p] : markdownFiles(p), `${plugin.name}:`);
  }
  for (const dir of [path.join(configDir, 'agents'), path.join(workspaceRoot, '.claude', 'agents')])
    load(markdownFiles(dir), '');
  return { agents, warnings };
}

function markdownFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.md'))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
