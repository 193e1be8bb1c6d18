// Messages between the engine (parent thread) and the sandbox worker. Only JSON-able data:
// script values cross as JSON strings that the receiving side parses itself.
import type { DagPosition, ErrorInfo, SourceLocation } from '../types';
import type { IntlDefaults } from './intlHost';
import { SETTLE_CODE } from './guestWire';

/** Limits of one sandbox (spec §2.3, findings §2). */
export interface SandboxLimits {
  /** WebAssembly memory cap of the QuickJS heap, in MiB. */
  memoryMb: number;
  /** Longest a single VM entry may run before it is interrupted (a synchronous runaway). */
  sliceMs: number;
  /** QuickJS stack cap in bytes (the worker's own stack is 16 MiB, so deep data cannot crash it). */
  maxStackBytes: number;
  /** A slice longer than this is reported as computing ("script computing…"). */
  computingMs: number;
}

/** Longest synchronous slice by default: the official runtime's limit on a first slice (issue 8 item 5). */
export const DEFAULT_SLICE_MS = 30_000;
/** What the setting and `dwf --slice-ms` accept: a tenth of a second to an hour. */
export const SLICE_MS_MIN = 100;
export const SLICE_MS_MAX = 3_600_000;
/** By default a slice longer than this is shown as "script computing…". */
export const COMPUTING_AFTER_MS = 1000;

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMb: 256,
  sliceMs: DEFAULT_SLICE_MS,
  maxStackBytes: 256 * 1024,
  computingMs: COMPUTING_AFTER_MS,
};

/** Int32 slots of the watch buffer shared by the parent and the worker. */
export const WATCH = {
  /** 1 while the worker is inside a VM entry. */
  inVm: 0,
  /** Count of VM entries finished: unchanged while one entry runs on. */
  entries: 1,
  /** Set by the parent on Stop; the interrupt handler polls it, so a busy guest ends at once. */
  stop: 2,
} as const;
export const WATCH_BYTES = 3 * Int32Array.BYTES_PER_ELEMENT;

export interface StartMessage {
  t: 'start';
  compiled: string;
  file: string;
  /** `args` as JSON text, or undefined when the run has none (the script then sees `undefined`). */
  argsJson: string | undefined;
  budgetTotal: number | null;
  /** agent() calls allowed per run, cached ones included (spec §4.1: 1000). */
  maxAgents: number;
  spent: number;
  limits: SandboxLimits;
  /** The run's locale and time zone: what Intl and toLocale* use when the script names none. */
  intl: IntlDefaults;
  /** SharedArrayBuffer the worker stamps on every VM entry so the parent can kill a stuck built-in. */
  watch: SharedArrayBuffer;
  /** Journaled results of a resumed run, [key, result JSON]: cached agent() calls settle in the worker. */
  replay?: [string, string | undefined][];
  /** The QuickJS module, compiled once in the parent (workers share its compiled code). */
  wasm?: WebAssembly.Module;
}

/** Settles pending guest promises: [id, ok, payload]. ok → payload is JSON text or undefined; !ok → ErrorInfo. */
export type Settlement = [number, true, string | undefined] | [number, false, ErrorInfo];

/**
 * The encoder of guestWire.ts SETTLEMENT: a settlement as the guest's settle() reads it, three
 * elements of one flat JSON array (id, SETTLE_CODE, payload), the result's JSON text put in as it
 * is, so the guest parses a whole batch once and builds no array per result. The payload is
 * JSON.stringify output (from the run or the journal), so the text stays valid JSON.
 */
export function settlementJson(s: Settlement): string {
  if (!s[1]) return `${s[0]},${SETTLE_CODE.error},${JSON.stringify(s[2])}`;
  return s[2] === undefined ? `${s[0]},${SETTLE_CODE.undefined},0` : `${s[0]},${SETTLE_CODE.value},${s[2]}`;
}

export type ParentMessage =
  | StartMessage
  /** Settlements grouped by guest context: [context index, how many, JSON array of settlementJson texts]. */
  | { t: 'settle'; batches: [number, number, string][] }
  | { t: 'budget'; spent: number }
  | {
      t: 'child';
      /** id of the parent's pending workflow() promise */
      id: number;
      compiled: string;
      file: string;
      name: string;
      argsJson: string | undefined;
      groupId: number;
    };

/** Operations the guest performed, in call order, flushed once per VM pump. */
export type GuestOp =
  | {
      op: 'agent';
      id: number;
      key: string;
      chain: string;
      prompt: string;
      optsJson: string | undefined;
      phase?: string;
      position: DagPosition;
      site?: SourceLocation;
      /** index of the child workflow context (0 = root) */
      ctx: number;
      /** Settled from the journal inside the worker; the parent only accounts for it. */
      cached?: boolean;
    }
  | {
      op: 'group';
      groupId: number;
      kind: 'parallel' | 'pipeline';
      size: number;
      stages?: number;
      /** Short names of a pipeline's items, by slot ('' where none), checked by itemLabels.ts. */
      items?: string[];
      position: DagPosition;
      site?: SourceLocation;
    }
  | { op: 'groupEnd'; groupId: number; failed: number[] }
  | { op: 'phase'; title: string; ctx: number }
  | { op: 'log'; level: 'info' | 'warn' | 'error'; message: string; ctx: number }
  | {
      op: 'workflow';
      id: number;
      groupId: number;
      ref: { name: string } | { scriptPath: string };
      argsJson: string | undefined;
      position: DagPosition;
      site?: SourceLocation;
    };

/** Guest promise ids of different contexts never collide: context i uses i * ID_SPAN + 1 …. */
export const ID_SPAN = 10_000_000;

export type WorkerMessage =
  | { t: 'ready'; startupMs: number }
  /** GuestOp[] as JSON text (cheaper to send than a structured clone of many small objects). */
  | { t: 'ops'; json: string }
  | { t: 'done'; ok: true; resultJson: string | undefined }
  | { t: 'done'; ok: false; error: ErrorInfo; location?: SourceLocation }
  | { t: 'childDone'; id: number; ok: boolean; error?: ErrorInfo };
