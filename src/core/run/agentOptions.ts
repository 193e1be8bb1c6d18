// Validation of agent(prompt, opts) options (spec §3.1): the TypeErrors scripts see, the JSON
// Schema preflight, and the default label. Unknown keys are ignored, as in the official runtime.
import type Ajv from 'ajv';
import type { AgentOptions, ErrorInfo } from '../types';
import { MESSAGES } from '../errors';

const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
// Case-exact tool names, or MCP names; no stray wildcards (spec §3.1 disallowedTools).
const TOOL_NAME = /^(?:[A-Z][A-Za-z0-9]*|mcp__\*|mcp__[A-Za-z0-9_-]+?(?:__(?:[A-Za-z0-9_-]+|\*))?)$/;
const BASH_RULE = /^Bash\([^()]*\)$/;

let ajv: Ajv | undefined;
/** Ajv is required and set up on the first schema, not when the editor activates (~10 ms). */
function schemaCompiler(): Ajv {
  if (!ajv) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded on first use
    const AjvClass = (require('ajv') as typeof import('ajv')).default;
    ajv = new AjvClass({ strict: false, allErrors: true, validateSchema: true });
  }
  return ajv;
}
/** Compiled schemas by their JSON text: 1000 agents sharing one schema compile it once. */
const schemaCache = new Map<string, string | undefined>();

function typeError(message: string): ErrorInfo {
  return { name: 'TypeError', message };
}

/** Collapses whitespace; the default label is the first 60 characters of the prompt. */
export function agentLabel(prompt: string, label: unknown): string {
  const raw = typeof label === 'string' && label.trim() ? label : prompt.slice(0, 60);
  return raw.replace(/\s+/g, ' ').trim() || '(empty prompt)';
}

/** Returns an error the script should see, or undefined when the schema is usable. */
export function checkSchema(schema: unknown): ErrorInfo | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return { name: 'Error', message: MESSAGES.invalidSchema('the schema must be a JSON Schema object') };
  }
  const text = JSON.stringify(schema);
  if (!schemaCache.has(text)) schemaCache.set(text, schemaProblem(schema as Record<string, unknown>));
  const problem = schemaCache.get(text);
  if (problem === undefined) return undefined;
  return { name: 'Error', message: problem };
}

function schemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    schemaCompiler().compile(schema);
  } catch (e) {
    return MESSAGES.invalidSchema((e as Error).message);
  }
  // The official preflight rejects only a non-object root: `properties` is optional
  // (`{ type: 'object', additionalProperties: true }` is valid), and required ⊆ properties is
  // checked only when both are given (spec §3.1, `schema`).
  if (schema.type !== 'object')
    return MESSAGES.invalidSchema("the root must be an object schema ({ type: 'object', … })");
  if (schema.properties === undefined) return undefined;
  if (schema.properties === null || typeof schema.properties !== 'object' || Array.isArray(schema.properties)) {
    return MESSAGES.invalidSchema('properties must be an object of property schemas');
  }
  const props = schema.properties as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const missing = required.filter((r) => typeof r !== 'string' || !(r in props));
  if (missing.length)
    return MESSAGES.unusableSchema(
      `required lists ${missing.map(String).join(', ')}, which properties does not define`,
    );
  const impossible = required.filter((r) => props[r as string] === false);
  if (impossible.length)
    return MESSAGES.unusableSchema(
      `required property ${impossible.join(', ')} has the schema false, so no value can satisfy it`,
    );
  return undefined;
}

/** Validates raw options; returns the typed options or the error agent() rejects with. */
export function validateAgentOptions(
  raw: Record<string, unknown> | undefined,
  knownAgentTypes?: string[],
  remoteAgents = true,
): { options: AgentOptions } | { error: ErrorInfo } {
  const o: AgentOptions = {};
  if (!raw) return { options: o };
  const str = (k: string): string | undefined | ErrorInfo => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : typeError(`agent() option '${k}' must be a string, got ${typeof v}`);
  };
  for (const k of ['label', 'phase', 'model', 'agentType'] as const) {
    const v = str(k);
    if (v && typeof v === 'object') return { error: v };
    if (v !== undefined) o[k] = v;
  }
  if (raw.effort !== undefined && raw.effort !== null) {
    if (typeof raw.effort !== 'string' || !EFFORTS.has(raw.effort)) {
      return {
        error: typeError(
          `agent() option 'effort' must be one of low, medium, high, xhigh, max; got ${JSON.stringify(raw.effort)}`,
        ),
      };
    }
    o.effort = raw.effort as AgentOptions['effort'];
  }
  if (raw.isolation !== undefined && raw.isolation !== null) {
    if (raw.isolation === 'remote' && !remoteAgents)
      return { error: { name: 'Error', message: MESSAGES.isolationRemote } };
    if (raw.isolation !== 'worktree' && raw.isolation !== 'remote')
      return {
        error: typeError(
          `agent() option 'isolation' must be 'worktree' or 'remote'; got ${JSON.stringify(raw.isolation)}`,
        ),
      };
    o.isolation = raw.isolation;
  }
  if (o.agentType && knownAgentTypes && !knownAgentTypes.includes(o.agentType)) {
    return { error: { name: 'Error', message: MESSAGES.unknownAgentType(o.agentType, knownAgentTypes) } };
  }
  for (const k of ['disallowedTools', 'bashCommandClamp'] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) return { error: typeError(`agent() option '${k}' must be an array of strings`) };
    for (const entry of v) {
      const ok = typeof entry === 'string' && (k === 'disallowedTools' ? TOOL_NAME.test(entry) : BASH_RULE.test(entry));
      if (!ok) {
        const shown = typeof entry === 'string' ? entry : JSON.stringify(entry);
        return {
          error: {
            name: 'Error',
            message:
              k === 'disallowedTools'
                ? MESSAGES.badDisallowedTools(shown)
                : `agent({bashCommandClamp}): '${shown}' is not a Bash(<prefix>) rule. Refusing the spawn rather than running it un-narrowed.`,
          },
        };
      }
    }
    o[k] = v as string[];
  }
  if (raw.stallMs !== undefined && raw.stallMs !== null) {
    if (typeof raw.stallMs !== 'number' || !(raw.stallMs > 0) || !Number.isFinite(raw.stallMs)) {
      return { error: typeError("agent() option 'stallMs' must be a positive number of milliseconds") };
    }
    o.stallMs = raw.stallMs;
  }
  if (raw.sharedHeadLength !== undefined && raw.sharedHeadLength !== null) {
    const n = raw.sharedHeadLength;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      return { error: typeError("agent() option 'sharedHeadLength' must be a non-negative integer") };
    o.sharedHeadLength = n;
  }
  if (raw.schema !== undefined && raw.schema !== null) {
    const err = checkSchema(raw.schema);
    if (err) return { error: err };
    o.schema = raw.schema as Record<string, unknown>;
  }
  return { options: o };
}
