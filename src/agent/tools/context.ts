// What a tool needs from the rest of the agent layer. The permission module (src/agent/permissions)
// implements PathGuard and CommandGate; the loop builds one ToolContext per agent. Tools depend on
// these interfaces only, so they can be tested with simple fakes and real temp dirs.
import type { Workspace } from '../../core/ports';
import type { CommandLauncher } from '../sandbox/commandSandbox';
import type { Redactor } from '../redact';

export type PathCheck = { ok: true; real: string } | { ok: false; reason: string };

/** Resolves a path the model gave (absolute or relative to cwd) to a real path inside the workspace. */
export interface PathGuard {
  /** Inside the workspace after `..`, `~` and symlinks; `reason` is shown to the model as is. */
  resolve(path: string): PathCheck;
}

export type CommandCheck = { allowed: true } | { allowed: false; reason: string };

/** Decides whether a shell command may run: allowlist, deny rules, asking the person. */
export interface CommandGate {
  check(command: string, cwd: string, signal: AbortSignal): Promise<CommandCheck>;
}

export type Access = { allowed: true } | { allowed: false; reason: string };

/**
 * WebFetch's answer carries the addresses the gate checked: the tool connects to exactly those,
 * so the name cannot resolve to another (private) address between the check and the connection.
 */
export type FetchAccess =
  { allowed: true; addresses?: { address: string; family: 4 | 6 }[] } | { allowed: false; reason: string };

/**
 * Permission rules for the file and fetch tools — `Read(…)`, `Edit(…)`, `Write(…)`,
 * `WebFetch(domain:…)` allow/deny/ask rules and the protected paths (`.git/`, `.claude/`,
 * `.vscode/`, the runs folder) — implemented in src/agent/permissions. Paths are the real paths
 * PathGuard returned. Reasons go to the model as they are.
 */
export interface ToolGate {
  /** Glob/Grep, per file, never asks: a deny (or ask) rule for the file refuses it. */
  readable(realPath: string): Access;
  /** Before Read of one file; may ask the person. */
  authorizeRead(realPath: string, signal: AbortSignal): Promise<Access>;
  /** Before Write/Edit of one file: Edit/Write rules and protected paths; may ask. */
  authorizeWrite(tool: 'Write' | 'Edit', realPath: string, signal: AbortSignal): Promise<Access>;
  /** Before WebFetch, and again for each redirect: WebFetch(domain:…) rules, loopback and private addresses; may ask. */
  authorizeFetch(url: string, signal: AbortSignal): Promise<FetchAccess>;
}

export interface ToolLimits {
  /** Most characters of tool output given back to the model; longer output is cut and says so. */
  outputChars: number;
  /** Bash timeout when the model gives none. */
  bashTimeoutMs: number;
}

/** Claude Code's own figures: 30 000 characters of output, 2 minutes per command. */
export const DEFAULT_LIMITS: ToolLimits = { outputChars: 30_000, bashTimeoutMs: 120_000 };

export interface ToolContext {
  workspace: Workspace;
  paths: PathGuard;
  commands: CommandGate;
  /** Rules for Read/Glob/Grep/Write/Edit/WebFetch and the protected paths. */
  access: ToolGate;
  /** Working directory for relative paths, Glob/Grep defaults and Bash (a workspace folder). */
  cwd: string;
  /** The agent's signal: aborting it stops fetches and kills running commands. */
  signal: AbortSignal;
  limits: ToolLimits;
  /** How Bash starts commands (OS sandbox or supervised fallback); absent: the process-wide default. */
  sandbox?: CommandLauncher;
  /** Secret values (the API key) to scrub from command output as it streams. */
  secrets?: Redactor;
}

/** What goes back to the model as a `tool_result`; `isError` sets its `is_error`. */
export interface ToolResult {
  content: string;
  isError?: boolean;
}

/** JSON Schema for one input field (the subset our tools use). */
export interface FieldSchema {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

/** JSON Schema of a tool's input: the Messages API `input_schema` (a type alias, so it fits the SDK's). */
export type InputSchema = {
  type: 'object';
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: boolean;
};

/** A client-side tool: the model calls it by `name`, the loop runs it and returns the result. */
export interface Tool {
  name: string;
  description: string;
  inputSchema: InputSchema;
  /** Never throws: bad input, refusals and failures come back as `isError` results for the model. */
  run(input: unknown, ctx: ToolContext): Promise<ToolResult>;
}
