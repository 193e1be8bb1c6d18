// Worker thread for StructuredOutput validation (structuredOutput.ts). The schema's `pattern`s
// come from the script and the data from the model: a pattern that backtracks catastrophically
// on that data can run for hours, so it runs here, where the parent can terminate it, never on
// the host's main thread. One request at a time; compiled schemas are cached by their text.
import { parentPort } from 'node:worker_threads';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ValidationReply, ValidationRequest } from './structuredOutputProtocol';

const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new Map<string, ValidateFunction>();

function describe(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'the input does not match the schema';
  return errors
    .slice(0, 8)
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    )
    .join('; ');
}

function post(reply: ValidationReply): void {
  parentPort?.postMessage(reply);
}

parentPort?.on('message', (req: ValidationRequest) => {
  let validate = compiled.get(req.schemaText);
  if (!validate) {
    try {
      validate = ajv.compile(JSON.parse(req.schemaText) as Record<string, unknown>);
    } catch (e) {
      post({ id: req.id, t: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    compiled.set(req.schemaText, validate);
  }
  // The parent's deadline starts now: compiling (script-only input) may take a while on a busy machine.
  post({ id: req.id, t: 'validating' });
  const ok = validate(req.input);
  post({ id: req.id, t: 'done', ok, message: ok ? '' : describe(validate.errors) });
});
