// Error classes and the official message texts scripts and users already know (spec §2–§4).
import type { ErrorInfo } from './types';

/** A script that cannot run: parse, meta or compile errors. Carries where and a code frame. */
export class ScriptError extends Error {
  override name = 'ScriptError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    /** The offending line (≤ 80 columns) and a caret under the column, ready to print. */
    readonly frame?: string,
  ) {
    super(message);
  }
  /** `file:line:col: message` plus the frame — what a terminal or a diagnostic shows. */
  format(): string {
    const where = this.line ? `${this.file}:${this.line}:${this.column ?? 1}` : this.file;
    return `${where}: ${this.message}${this.frame ? `\n${this.frame}` : ''}`;
  }
}

/** A plain JavaScript syntax error (acorn's), as opposed to a workflow rule: any JS parser reports it too. */
export class ScriptSyntaxError extends ScriptError {}

export const MESSAGES = {
  metaFirst: '`export const meta = { name, description, phases }` must be the FIRST statement in the script',
  parseHint:
    'Workflow scripts must be plain JavaScript — common causes are TypeScript syntax (type annotations, interfaces, generics) and broken string quoting or escaping.',
  scriptTooLarge: (limit: number) => `Script exceeds ${limit} bytes`,
  controlChars: 'script contains control characters that would be hidden in the approval dialog',
  withStatement: "'with' statements are not supported in workflow scripts.",
  dynamicImport: 'import() is not available in workflow scripts.',
  staticImport:
    'import declarations are not available in workflow scripts: a script is one self-contained file (inline the helper, or call it as a saved workflow with workflow()).',
  reservedIdentifier: (name: string) =>
    `identifier '${name}' is reserved: names starting with __wRg$ are used by the workflow runtime`,
  awaitUsing: "'await using' declarations are not supported in workflow scripts.",
  mathRandom:
    'Math.random() is unavailable in workflow scripts (breaks resume). For N independent samples, include the index in the agent label or prompt.',
  dateNow:
    'Date.now() / new Date() are unavailable in workflow scripts (breaks resume). Stamp results after the workflow returns, or pass timestamps via args.',
  codeGeneration: 'Code generation from strings disallowed',
  parallelNotArray: 'parallel() expects an array of functions',
  parallelNotFunction: 'parallel() expects an array of functions, not promises. Wrap each call: () => agent(...)',
  pipelineNotArray: 'pipeline() expects an array as the first argument',
  pipelineStage: 'pipeline() stages must be functions: pipeline(items, item => ..., result => ...)',
  tooManyItems: (fn: string, n: number, max: number) =>
    `${fn}() received ${n} items; the limit is ${max} per call. Split the work into batches.`,
  workflowRef: 'workflow() expects a workflow name (string) or {scriptPath: string}',
  workflowNesting:
    'workflow() cannot be called from within a child workflow — nesting is limited to one level. Call the grandchild from the parent instead.',
  workflowNotFound: (name: string, available: string[]) =>
    `workflow('${name}'): no workflow with that name. Available: ${available.length ? available.join(', ') : '(none)'}`,
  agentCap: (cap: number) =>
    `Workflow agent() call cap reached (${cap}). This usually means a loop using budget.remaining() never terminates — add an explicit round limit.`,
  budgetExceeded: (spent: number, total: number) =>
    `Workflow token budget exceeded (${spent} / ${total} output tokens). Stopping further agent() calls. In-flight agents will complete; their results are preserved.`,
  invalidSchema: (why: string) => `agent({schema}) received an invalid JSON Schema: ${why}`,
  unusableSchema: (why: string) =>
    `agent({schema}) received an unusable JSON Schema — ${why}. The subagent was not started — fix the schema and call agent() again.`,
  unknownAgentType: (t: string, available: string[]) =>
    `agent({agentType}): agent type '${t}' not found. Available agents: ${available.join(', ') || '(none)'}`,
  badDisallowedTools: (entry: string) =>
    `agent({disallowedTools}): '${entry}' is not a valid tool name. Refusing the spawn rather than running it un-narrowed.`,
  isolationRemote:
    "agent({isolation: 'remote'}) needs a remote engine: run with dwf --engine <postgres url> (or DWF_ENGINE_URL) and start workers with 'dwf worker'. In VS Code: run \"Workflows: Set Remote Engine…\" (or start VS Code with DWF_ENGINE_URL set).",
  resultFunction: 'workflow result cannot be a function',
  stoppedUnawaited: 'Stopped because the workflow finished without waiting for it',
  // --- script parsing and saved workflows (core/script, core/registry) ---
  parseError: (msg: string) => `Script parse error: ${msg}`,
  htmlComment:
    'Script parse error: HTML-like comments (`<!--`, or `-->` at the start of a line) are not allowed in workflow scripts — the checker and the sandbox would read different code. If you meant the operators, put spaces between them (`a < ! --b`, `a-- > b`).',
  programMismatch: (why: string) =>
    `Script parse error: the sandbox would read this script differently from the checker (${why}); refusing to run it. Remove HTML-like comments ("<!--", "-->") and unusual line separators.`,
  metaNotLiteral: (reason: string) => `meta must be a pure literal: ${reason}`,
  metaField: (field: string) => `meta.${field} must be a non-empty string`,
  otherExport:
    'export declarations are not available in workflow scripts: only `export const meta = { … }` may be exported (declare other values with a plain const).',
  importMeta: 'import.meta is not available in workflow scripts.',
  nonDeterministic: (what: string, line: number) => `Workflow scripts must be deterministic: ${what} at line ${line}`,
  invalidSavedWorkflow: (path: string, msg: string) => `Workflow ${path} has invalid meta: ${msg} — skipping`,
  savedTooLarge: (path: string, limit: number) => `Workflow ${path} exceeds ${limit} bytes — skipping`,
  duplicateSavedWorkflow: (name: string, used: string, ignored: string) =>
    `Workflows ${used} and ${ignored} in the same folder both define "${name}" — using ${used}`,
  savedOutside: (path: string) => `Workflow ${path} is a link to a file outside its folder — skipping`,
  savedUnreadable: (path: string, msg: string) => `Workflow ${path} could not be read: ${msg} — skipping`,
  saveExists: (path: string) => `${path} already exists`,
  saveSymlink: (path: string) => `${path} is a symbolic link — refusing to save a workflow through it`,
} as const;

/** Thrown by agent() when the run reached its agent cap (spec §4.1). */
export const AGENT_CAP_ERROR = 'WorkflowAgentCapError';
/** Thrown by agent()/parallel()/pipeline() once budget.spent() ≥ budget.total (spec §3.7). */
export const BUDGET_ERROR = 'WorkflowBudgetExceededError';

export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}
