// The globals of a Claude Code workflow script, as the TypeScript plugin of the Dynamic Workflows
// extension shows them in the editor. Only workflow scripts see them: the plugin imports them into
// those files alone (nothing is written to the file). Semantics: shared/spec/workflow-script-spec.md §3.

/** Model aliases; a full model id (e.g. `claude-sonnet-5-5`) works too. */
export type ModelAlias = 'opus' | 'sonnet' | 'haiku' | 'fable';

/** How hard the agent thinks. `xhigh` and `max` exist on the frontier models only (lower elsewhere). */
export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** A JSON Schema, as far as the editor maps it to a type. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | readonly string[];
  properties?: { readonly [key: string]: JsonSchema };
  required?: readonly string[];
  items?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  description?: string;
  additionalProperties?: boolean | JsonSchema;
  [keyword: string]: unknown;
}

/** The root of an `agent({ schema })`: always an object schema. */
export interface ObjectSchema extends JsonSchema {
  type: 'object';
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S> = S extends { required: readonly (infer R)[] } ? R : never;
type FromObject<S> = S extends { properties: infer P }
  ? Simplify<
      { -readonly [K in keyof P as K extends RequiredKeys<S> ? K : never]: FromSchema<P[K]> } & {
        -readonly [K in keyof P as K extends RequiredKeys<S> ? never : K]?: FromSchema<P[K]>;
      }
    >
  : { [key: string]: unknown };
type FromTypeName<T, S> = T extends 'object'
  ? FromObject<S>
  : T extends 'array'
    ? S extends { items: infer I }
      ? FromSchema<I>[]
      : unknown[]
    : T extends 'string'
      ? string
      : T extends 'number' | 'integer'
        ? number
        : T extends 'boolean'
          ? boolean
          : T extends 'null'
            ? null
            : unknown;

/**
 * The TypeScript type of a value that validates against the JSON Schema literal `S`: `enum`,
 * `const`, `anyOf`/`oneOf`, `type` (or a list of types), object `properties` with `required`, and
 * array `items`. Anything else is `unknown`.
 */
export type FromSchema<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { const: infer C }
    ? C
    : S extends { anyOf: readonly (infer A)[] }
      ? FromSchema<A>
      : S extends { oneOf: readonly (infer O)[] }
        ? FromSchema<O>
        : S extends { type: readonly (infer T)[] }
          ? FromTypeName<T, S>
          : S extends { type: infer T }
            ? FromTypeName<T, S>
            : unknown;

/** Options of one `agent()` call. */
export interface AgentOptions {
  /** Row label in the progress tree. Default: the first 60 characters of the prompt. Not part of the cache key. */
  label?: string;
  /** Progress group of this agent (overrides the current `phase()`); use it inside `parallel`/`pipeline`. */
  phase?: string;
  /**
   * JSON Schema of the result (root `type: 'object'`). The agent must answer through a
   * StructuredOutput tool and `agent()` resolves to the validated object, typed from this literal.
   */
  schema?: ObjectSchema;
  /** Model alias (`opus`, `sonnet`, `haiku`, `fable`) or a full model id. Default: the run's model. */
  model?: ModelAlias | (string & {});
  /** Thinking effort. Default: the run's effort. */
  effort?: Effort;
  /**
   * `'worktree'`: the agent works in a fresh git worktree of its own, removed when it changed
   * nothing and kept for review otherwise. For agents that edit files in parallel.
   */
  isolation?: 'worktree';
  /**
   * A subagent type: `general-purpose`, `Explore` (fast, read-only), `Plan` (read-only planning), or
   * the name of a `.claude/agents/*.md` file of the project or your home folder. Unknown names throw.
   */
  agentType?: string;
  /** Tool names this agent may not use (`Bash`, `mcp__server__tool`, `mcp__*`). */
  disallowedTools?: readonly string[];
  /** `Bash(<prefix>)` rules: the only shell commands this agent may run. */
  bashCommandClamp?: readonly string[];
  /** Length of a prompt prefix shared by sibling agents (cached once). */
  sharedHeadLength?: number;
  /** Stop the agent after this many milliseconds without progress. */
  stallMs?: number;
}

/**
 * Starts one subagent with `prompt` and resolves to its final text — or, with `opts.schema`, to
 * the validated object, typed from the schema literal. Resolves to `null` when the agent was
 * skipped or stopped, or died on an API error. Throws past the token budget or the 1000-agent cap.
 *
 * @param prompt What the agent is asked to do (coerced with `String()`: build a string).
 * @param opts `label`, `phase`, `schema`, `model`, `effort`, `isolation`, `agentType`, …
 * @example const r = await agent('Review src/a.ts', { schema: { type: 'object', properties: { bugs: { type: 'array', items: { type: 'string' } } }, required: ['bugs'] } })
 */
export declare function agent<const S extends ObjectSchema>(prompt: string, opts: AgentOptions & { schema: S }): Promise<FromSchema<S> | null>;
/**
 * Starts one subagent whose answer must validate against `opts.schema`. The schema is not a literal
 * here (in JavaScript a constant's types widen), so the result is untyped: write the schema inline,
 * or as `/** @type {const} *\/ ({ … })`, to have it typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped on purpose: the schema's literal types are gone
export declare function agent(prompt: string, opts: Omit<AgentOptions, 'schema'> & { schema: object }): Promise<any>;
/**
 * Starts one subagent with `prompt` and resolves to its final text, or `null` when the agent was
 * skipped or stopped, or died on an API error. Throws past the token budget or the 1000-agent cap.
 *
 * @param prompt What the agent is asked to do (coerced with `String()`: build a string).
 * @param opts `label`, `phase`, `schema`, `model`, `effort`, `isolation`, `agentType`, …
 */
export declare function agent(prompt: string, opts?: AgentOptions & { schema?: undefined }): Promise<string | null>;

type ParallelResults<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> | null };

/**
 * Runs every function at once and resolves, after all have settled, to their results in input
 * order. Never rejects for a failing function: its slot is `null` and a failure line is logged.
 * At most 4096 functions.
 *
 * @param thunks Functions, not promises: `items.map(x => () => agent(...))`.
 */
export declare function parallel<const T extends readonly (() => unknown)[]>(thunks: T): Promise<ParallelResults<T>>;

type Stage<P, I, R> = (prev: NonNullable<Awaited<P>>, item: I, index: number) => R;

/**
 * Runs each item through the stages on its own — no barrier between stages. A stage gets
 * `(previousResult, originalItem, index)`; a `null` result skips the remaining stages and a
 * throwing stage makes that slot `null`. Results come back in item order. At most 4096 items.
 */
export declare function pipeline<I>(items: readonly I[]): Promise<Awaited<I>[]>;
export declare function pipeline<I, R1>(items: readonly I[], stage1: Stage<I, I, R1>): Promise<(Awaited<R1> | null)[]>;
export declare function pipeline<I, R1, R2>(
  items: readonly I[],
  stage1: Stage<I, I, R1>,
  stage2: Stage<R1, I, R2>,
): Promise<(Awaited<R2> | null)[]>;
export declare function pipeline<I, R1, R2, R3>(
  items: readonly I[],
  stage1: Stage<I, I, R1>,
  stage2: Stage<R1, I, R2>,
  stage3: Stage<R2, I, R3>,
): Promise<(Awaited<R3> | null)[]>;
export declare function pipeline<I>(
  items: readonly I[],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- past three stages each stage's input is untyped
  ...stages: ((prev: any, item: I, index: number) => unknown)[]
): Promise<unknown[]>;

/**
 * Starts (or returns to) the progress group `title`; later `agent()` calls without `opts.phase`
 * belong to it. Titles of `meta.phases` are shown from the start, in order. Global state: inside
 * `parallel`/`pipeline` prefer `opts.phase`.
 */
export declare function phase(title: string): void;

/** A narrator line above the progress tree and in the run's log. Objects print as `[object]`: `JSON.stringify` them. */
export declare function log(message: unknown): void;

/**
 * Runs a saved or bundled workflow (by name, or `{ scriptPath }`) inline, sharing this run's
 * agents, concurrency and budget; resolves to its return value. One level of nesting only.
 *
 * @param args The child's `args` (copied as JSON).
 */
export declare function workflow(nameOrRef: string | { scriptPath: string }, args?: unknown): Promise<unknown>;

/** The run's output-token budget. */
export interface Budget {
  /** The ceiling in output tokens, or `null` for none (then `remaining()` is `Infinity`). */
  readonly total: number | null;
  /** Output tokens spent so far. */
  spent(): number;
  /** `max(0, total − spent())`, or `Infinity` without a ceiling. Past it `agent()` throws. */
  remaining(): number;
}

/** The run's output-token budget: `total`, `spent()`, `remaining()`. Guard loops with `budget.total && …`. */
export declare const budget: Budget;

/**
 * The run's arguments, verbatim (`undefined` when none were given). From a slash command they
 * may arrive as a JSON string: `typeof args === 'string' ? JSON.parse(args) : args`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON the caller passed, often a string to parse
export declare const args: any;

/** One progress group announced by `meta.phases` (labels only). */
export interface WorkflowPhase {
  title: string;
  detail?: string;
  /** A display label; it does not choose the agents' model. */
  model?: string;
}

/** The shape of `export const meta = { … }`: the first statement, a pure literal. */
export interface WorkflowMeta {
  /** Registry name (`/<name>` once saved). Required, non-empty. */
  name: string;
  /** One line shown in the approval dialog and notifications. Required, non-empty. */
  description: string;
  /** Task title. */
  title?: string;
  /** When to use this workflow; the place to document the expected `args`. */
  whenToUse?: string;
  /** Progress groups shown from the start, in order; agents join them by `phase()` or `opts.phase`. */
  phases?: readonly WorkflowPhase[];
}
