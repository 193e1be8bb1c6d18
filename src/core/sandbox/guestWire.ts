// The protocol between the guest preludes (inside QuickJS) and the sandbox worker: the names of
// the host door's operations, the layouts of queued records and every constant both sides must
// agree on. Defined once, here: the worker reads these names, and the same object is handed to
// the preludes at VM set-up (PreludeConfig.wire), so the guest keeps no copy that could drift.
// The wire stays compact (one-letter tags, flat arrays); the code on both sides reads by name.
// No imports: the guest files' type check (guest/tsconfig.json) reads this file too.

/** Operations of the main prelude's host door `host(op, …args)`. */
export const HOST_OP = {
  /** `(records)`: queued records, joined or as JSON → undefined | a FLUSH_REPLY. */
  takeRecords: 'q',
  /** `(kind, items)`: may this much work start? → '' or REFUSAL + ErrorInfo JSON. */
  precheck: 'precheck',
  /** `(kind, size, stages, group, slot, stage, stack)`: a parallel()/pipeline() starts → its group id. */
  group: 'group',
  /** `(chain)`: sha256 of a long chain (its '#id' reference resolved first). */
  hash: 'hash',
  /** `()`: tokens spent so far. */
  spent: 'spent',
  /** `(id, ms)`: settle promise `id` after `ms`. */
  timer: 'timer',
  /** `(id)`: cancel timer `id`. */
  clearTimer: 'clearTimer',
  /** `(id, refJson, argsJson, chain, group, slot, stage, stack)`: a child workflow() → '' or a refusal. */
  workflow: 'workflow',
} as const;
export type HostOp = (typeof HOST_OP)[keyof typeof HOST_OP];

type Op<K extends keyof typeof HOST_OP> = (typeof HOST_OP)[K];
type GroupKind = 'parallel' | 'pipeline';

/**
 * The host door as the guest calls it: one signature per HOST_OP, so the guest's type check
 * (guest/tsconfig.json) checks every call's arguments. The worker reads them in this order
 * (hostCalls.ts); a refusal answer is REFUSAL + ErrorInfo JSON.
 */
export interface HostDoor {
  (op: Op<'takeRecords'>, records: string): string | undefined;
  (op: Op<'precheck'>, kind: GroupKind, items: number): string;
  (
    op: Op<'group'>,
    kind: GroupKind,
    size: number,
    stages: number,
    group: number,
    slot: number,
    stage: number,
    stack: string | undefined,
    itemLabelsJson?: string,
  ): number;
  (op: Op<'hash'>, chain: string): string;
  (op: Op<'spent'>): number;
  (op: Op<'timer'>, id: number, ms: number): undefined;
  (op: Op<'clearTimer'>, id: number): undefined;
  (
    op: Op<'workflow'>,
    id: number,
    refJson: string,
    argsJson: string | undefined,
    chain: string,
    group: number,
    slot: number,
    stage: number,
    stack: string,
  ): string;
}

/** What HOST_OP.takeRecords answers besides undefined (taken, and the burst's agents started). */
export const FLUSH_REPLY = {
  /** The joined text did not frame: send the same records again as JSON. */
  resendAsJson: 'j',
  /** Taken, but no agent in it needs the parent (all settled from the journal): no hurry. */
  nothingToStart: 'c',
} as const;

/** Operations of the Intl prelude's door `intl(op, …args)` (intlHost.ts answers them). */
export const INTL_OP = {
  /** `(id, a, b)` → number: Collator compare on two plain strings (the hot path). */
  compare: 'c',
  /** `(kind, configJson)` → instance id. */
  create: 'new',
  /** `(id, method, taggedArgsJson)` → result JSON. */
  call: 'call',
  /** `(name, kind, taggedArgsJson)` → result JSON. */
  statics: 'static',
} as const;

/**
 * Field names of each queued record, in wire order after its tag. A record is its tag followed
 * by these fields in one flat array of primitives (see RECORD for the offsets).
 */
const RECORD_FIELDS = {
  /** `site` is the call's stack text; '' means the same as the previous agent record's. */
  agent: { tag: 'a', fields: ['id', 'prompt', 'optsJson', 'chain', 'group', 'slot', 'stage', 'site'] },
  log: { tag: 'l', fields: ['level', 'message'] },
  phase: { tag: 'p', fields: ['title'] },
  groupEnd: { tag: 'e', fields: ['groupId', 'failedJson'] },
} as const;

type Fields = typeof RECORD_FIELDS;
/** Offsets of one record kind: `tag`, `size` (fields including the tag) and each field's offset. */
export type RecordLayout<K extends keyof Fields> = { readonly tag: Fields[K]['tag']; readonly size: number } & {
  readonly [F in Fields[K]['fields'][number]]: number;
};

function layout<K extends keyof Fields>(kind: K): RecordLayout<K> {
  const { tag, fields } = RECORD_FIELDS[kind];
  const offsets: Record<string, number | string> = { tag, size: fields.length + 1 };
  fields.forEach((name, i) => (offsets[name] = i + 1));
  return offsets as RecordLayout<K>;
}

/** Record layouts by kind: `q[i + RECORD.agent.prompt]` is the prompt of the agent record at i. */
export const RECORD = {
  agent: layout('agent'),
  log: layout('log'),
  phase: layout('phase'),
  groupEnd: layout('groupEnd'),
} as const;

/**
 * A synchronous burst hands its queued records over after this many agent() calls' worth of
 * fields, and the worker posts them to the parent at once, so the run starts them while the
 * script goes on queuing.
 */
export const HAND_OVER_AGENTS = 64;

/** A settlement as the guest's settle() reads it: three elements of one flat JSON array. */
export const SETTLEMENT = { id: 0, code: 1, payload: 2, size: 3 } as const;
/** Settlement codes: the payload is the error (ErrorInfo), the value (JSON), or absent (undefined). */
export const SETTLE_CODE = { error: 0, value: 1, undefined: 2 } as const;

/** First character of the prelude's finish() text: the rest is result JSON or ErrorInfo JSON. */
export const FINISH = { ok: '1', failed: '0' } as const;

/** First character of a host answer that is a refusal: the rest is ErrorInfo JSON. */
export const REFUSAL = '!';

/** The text the guest's records are joined with (see prelude takeQueue). */
export const FIELD_SEPARATOR = '\u0001';
/** Separates the parts of a cache-key chain (not NUL: strings cross into the host as C strings). */
export const CHAIN_SEPARATOR = '\u001f';
/** A chain that starts with this and an agent id stands for that queued call's key. */
export const CHAIN_REFERENCE = '#';
/** A chain longer than this (resolved) is replaced by its sha256 hex, HASHED_CHAIN_LENGTH long. */
export const LONG_CHAIN = 512;
export const HASHED_CHAIN_LENGTH = 64;

/** File name of the prelude's frames: left out of error locations and user stacks. */
export const PRELUDE_FILE = '<workflow-runtime>';

/** Everything above, as the guest receives it. Plain JSON data (it crosses as JSON text). */
export const GUEST_WIRE = {
  hostOp: HOST_OP,
  flushReply: FLUSH_REPLY,
  intlOp: INTL_OP,
  record: RECORD,
  handOverAgents: HAND_OVER_AGENTS,
  settlement: SETTLEMENT,
  settleCode: SETTLE_CODE,
  finish: FINISH,
  refusal: REFUSAL,
  fieldSeparator: FIELD_SEPARATOR,
  chainSeparator: CHAIN_SEPARATOR,
  chainReference: CHAIN_REFERENCE,
  longChain: LONG_CHAIN,
  hashedChainLength: HASHED_CHAIN_LENGTH,
  preludeFile: PRELUDE_FILE,
} as const;
export type GuestWire = typeof GUEST_WIRE;

/** Texts of the errors the guest throws itself (from MESSAGES in errors.ts). */
/** The error texts the guest throws itself (core/errors MESSAGES, picked by these keys). */
export const GUEST_MESSAGE_KEYS = [
  'mathRandom',
  'dateNow',
  'codeGeneration',
  'parallelNotArray',
  'parallelNotFunction',
  'pipelineNotArray',
  'pipelineStage',
  'workflowRef',
  'workflowNesting',
  'resultFunction',
] as const;
export type GuestMessages = Record<(typeof GUEST_MESSAGE_KEYS)[number], string>;

/** Settings the worker passes to one main-prelude instance (root script or one child workflow). */
export interface PreludeConfig {
  wire: GuestWire;
  /** Chain seed of the root context (cache keys, spec §4.7). */
  seed: string;
  /** DAG position of the context: enclosing group/slot/stage, -1 when none. */
  g: number;
  s: number;
  t: number;
  /** First promise id of this context; ids of different contexts never collide. */
  idBase: number;
  /** Length of an agent key: what a '#id' chain reference stands for when seeds are measured. */
  keyLength: number;
  /** Random end mark of drained queue texts; the script never sees it (see takeQueue). */
  mark: string;
  /** Set for a child run by workflow(): phase() is a no-op, logs are prefixed, no nesting. */
  childName?: string;
  budgetTotal: number | null;
  argsJson: string | undefined;
  messages: GuestMessages;
}

/** Settings of the Intl prelude. */
export interface IntlPreludeConfig {
  wire: GuestWire;
  /** Date.now's determinism message: a toLocale*String of an argless Date throws it. */
  dateNowMessage: string;
}

/** The functions the main prelude hands back to the worker. */
export interface PreludeApi {
  /** Settles pending promises from a flat JSON array of SETTLEMENT triples. */
  settle(batchJson: string): void;
  /** The await/async transform's helpers, passed to the compiled script. */
  helpers: unknown;
  /** A finished script's value as FINISH.ok + result JSON, or FINISH.failed + ErrorInfo JSON. */
  finish(value: unknown): string;
  /** A thrown value as ErrorInfo JSON. */
  describe(error: unknown): string;
  /** The queued records, joined ('' when none). */
  drain(): string;
  /** The records drain() last returned, as JSON. */
  drainJson(): string;
}
