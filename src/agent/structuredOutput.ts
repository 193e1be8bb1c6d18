// agent(prompt, {schema}) (spec §3.1): the model must call a StructuredOutput tool whose input
// schema is the agent's schema, exactly once; Ajv checks the input and failures go back to the
// model as a tool error naming the failing paths. After MAX_ATTEMPTS failures agent() throws.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

export const STRUCTURED_OUTPUT = 'StructuredOutput';
export const MAX_STRUCTURED_ATTEMPTS = 5;

const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new Map<string, ValidateFunction>();

export function structuredOutputTool(schema: Record<string, unknown>) {
  return {
    name: STRUCTURED_OUTPUT,
    description:
      'Return your final answer as structured data. Call this exactly once, with input that matches the schema, as your last action.',
    input_schema: schema as { type: 'object'; [k: string]: unknown },
  };
}

export type StructuredCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function describe(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'the input does not match the schema';
  return errors
    .slice(0, 8)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}

export function checkStructuredOutput(schema: Record<string, unknown>, input: unknown): StructuredCheck {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(input)) return { ok: true, value: input as Record<string, unknown> };
  return { ok: false, message: describe(validate.errors) };
}

export const MESSAGES_STRUCTURED = {
  retryCap: (n: number, last: string) =>
    `agent({schema}): StructuredOutput retry cap (${MAX_STRUCTURED_ATTEMPTS}) exceeded — ${n} failed calls with no valid output — last StructuredOutput error: ${last}`,
  noCall: 'agent({schema}): subagent completed without calling StructuredOutput (after in-conversation nudge)',
  nudge: `You ended without calling the ${STRUCTURED_OUTPUT} tool. Call ${STRUCTURED_OUTPUT} now, exactly once, with your final answer as input matching its schema.`,
  toolError: (why: string) => `StructuredOutput input rejected: ${why}. Fix these fields and call StructuredOutput again.`,
};
