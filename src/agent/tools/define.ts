// Turns a typed tool body into a `Tool`: checks the model's input against the tool's own schema
// (the API does not enforce input_schema) and turns anything thrown into a tool error, so a bad
// call never ends the agent — the model reads what went wrong and tries again.
import type { FieldSchema, InputSchema, Tool, ToolContext, ToolResult } from './context';

export interface ToolSpec<I> {
  name: string;
  description: string;
  inputSchema: InputSchema;
  run(input: I, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<I>(spec: ToolSpec<I>): Tool {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema,
    async run(input, ctx) {
      const checked = checkInput(spec.inputSchema, input);
      if (typeof checked === 'string') return toolError(`Invalid input for ${spec.name}: ${checked}`);
      try {
        return await spec.run(checked as I, ctx);
      } catch (e) {
        return toolError(`${spec.name} failed: ${messageOf(e)}`);
      }
    },
  };
}

export function toolError(content: string): ToolResult {
  return { content, isError: true };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Returns the input with known fields type-checked, or a message naming the first bad field.
 * Numbers and booleans sent as strings ("5", "true") are accepted, as models do send them.
 * Unknown fields are dropped rather than refused: they cannot change what a tool does.
 */
export function checkInput(schema: InputSchema, input: unknown): Record<string, unknown> | string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'the input must be a JSON object';
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    if (raw[name] === undefined || raw[name] === null)
      return `\`${name}\` is required (${schema.properties[name]?.type ?? 'value'})`;
  }
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    const checked = checkField(name, field, value);
    if (typeof checked === 'string') return checked;
    out[name] = checked.value;
  }
  return out;
}

function checkField(name: string, field: FieldSchema, value: unknown): { value: unknown } | string {
  const want = field.type === 'integer' ? 'an integer' : `a ${field.type}`;
  const got = `got ${JSON.stringify(value)?.slice(0, 60) ?? typeof value}`;
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `\`${name}\` must be a string, ${got}`;
      if (field.enum && !field.enum.includes(value))
        return `\`${name}\` must be one of ${field.enum.join(', ')}, ${got}`;
      return { value };
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return `\`${name}\` must be a boolean, ${got}`;
    case 'number':
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return `\`${name}\` must be ${want}, ${got}`;
      if (field.type === 'integer' && !Number.isInteger(n)) return `\`${name}\` must be ${want}, ${got}`;
      if (field.minimum !== undefined && n < field.minimum)
        return `\`${name}\` must be at least ${field.minimum}, ${got}`;
      if (field.maximum !== undefined && n > field.maximum)
        return `\`${name}\` must be at most ${field.maximum}, ${got}`;
      return { value: n };
    }
  }
}
