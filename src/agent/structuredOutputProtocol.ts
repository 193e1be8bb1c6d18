// Messages between structuredOutput.ts and its validation worker (structuredOutputWorker.ts).

export interface ValidationRequest {
  id: number;
  /** JSON text of the schema: the compile cache key, and cheap to send. */
  schemaText: string;
  input: unknown;
}

export type ValidationReply =
  | { id: number; t: 'validating' }
  | { id: number; t: 'done'; ok: boolean; message: string }
  | { id: number; t: 'error'; message: string };
