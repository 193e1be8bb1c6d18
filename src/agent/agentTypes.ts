// agent({agentType}) definitions: Claude Code's `.claude/agents/*.md` files — YAML frontmatter
// (name, description, tools, disallowedTools, model) and a body that is the agent's system
// prompt — from the project and the personal folder, plus the built-in `general-purpose`.
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

function list(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/** Parses one definition file; returns an error message instead of throwing. */
export function parseAgentDefinition(text: string, file: string): AgentDefinition | { error: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { error: `${file}: missing the --- frontmatter block` };
  let front: unknown;
  try {
    front = parseYaml(m[1]);
  } catch (e) {
    return { error: `${file}: invalid frontmatter: ${(e as Error).message}` };
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

/** Personal definitions first, project ones override by name; problems come back as warnings. */
export function loadAgentDefinitions(workspaceRoot: string, home = os.homedir()): { agents: Map<string, AgentDefinition>; warnings: string[] } {
  const agents = new Map<string, AgentDefinition>([[GENERAL_PURPOSE.name, GENERAL_PURPOSE]]);
  const warnings: string[] = [];
  for (const dir of [path.join(home, '.claude', 'agents'), path.join(workspaceRoot, '.claude', 'agents')]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.md')).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const file = path.join(dir, n);
      const def = parseAgentDefinition(fs.readFileSync(file, 'utf8'), file);
      if ('error' in def) warnings.push(def.error);
      else agents.set(def.name, def);
    }
  }
  return { agents, warnings };
}
