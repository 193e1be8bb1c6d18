// One guest context (the root script or one child workflow): a QuickJS context with the main
// prelude and the Intl prelude installed, and the handles of the functions the prelude hands
// back. The protocol constants reach the preludes here, from guestWire.ts (config.wire).
import { randomUUID } from 'node:crypto';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { PRELUDE, INTL_PRELUDE } from './prelude';
import {
  GUEST_WIRE,
  PRELUDE_FILE,
  GUEST_MESSAGE_KEYS,
  type GuestMessages,
  type IntlPreludeConfig,
  type PreludeApi,
  type PreludeConfig,
} from './guestWire';
import { intlDoor, type IntlHost } from './intlHost';
import { KEY_LENGTH } from './bookkeeping';
import { MESSAGES } from '../errors';
import type { GuestVm } from './guestVm';
import type { SourceLocation } from '../types';

/** Handles of the prelude's PreludeApi functions, by name. */
type ApiHandles = { [K in keyof PreludeApi]: QuickJSHandle };

export interface GuestContext extends ApiHandles {
  index: number;
  ctx: QuickJSContext;
  file: string;
  /** End mark of this context's drained texts (prelude takeQueue). */
  mark: string;
  main?: QuickJSHandle;
  /** For a child workflow: the parent's pending workflow() id. */
  parentId?: number;
  /** Settlements waiting for the next pump: settlementJson texts, delivered as one array. */
  pending: string[];
  /** The phase set by the context's last phase() record (agent ops carry it). */
  phase: string;
  /** Last call-site stack seen and its location: calls from one loop share one stack text. */
  stack: string;
  site: SourceLocation | undefined;
  over: boolean;
}

/** What one context's prelude is configured with besides what every context shares. */
export type ContextSettings = Omit<PreludeConfig, 'wire' | 'keyLength' | 'mark' | 'messages'>;

/** The host door of a context: `host(op, …)` from its prelude (hostCalls.ts). */
export type HostDoor = (ctx: QuickJSContext, args: QuickJSHandle[]) => QuickJSHandle | undefined;

const API_NAMES: readonly (keyof PreludeApi)[] = ['settle', 'helpers', 'finish', 'describe', 'drain', 'drainJson'];

/** The error texts the guest throws itself. */
function guestMessages(): GuestMessages {
  return Object.fromEntries(GUEST_MESSAGE_KEYS.map((k): [string, string] => [k, MESSAGES[k]])) as GuestMessages;
}

/** A value handed to the guest as JSON, evaluated in its context. */
function jsonHandle(ctx: QuickJSContext, value: object): QuickJSHandle {
  return ctx.unwrapResult(ctx.evalCode(`(${JSON.stringify(value)})`, PRELUDE_FILE));
}

/** A new context of `vm` with both preludes installed; its host door is `door`. */
export function openContext(
  vm: GuestVm,
  intl: IntlHost,
  index: number,
  file: string,
  settings: ContextSettings,
  door: HostDoor,
): GuestContext {
  const ctx = vm.rt.newContext();
  const hostFn = ctx.newFunction('host', (...args) => door(ctx, args));
  const mark = randomUUID();
  const config: PreludeConfig = {
    ...settings,
    wire: GUEST_WIRE,
    keyLength: KEY_LENGTH,
    mark,
    messages: guestMessages(),
  };
  const cfg = jsonHandle(ctx, config);
  const preludeFn = ctx.unwrapResult(ctx.evalCode(PRELUDE, PRELUDE_FILE, { type: 'global', strict: true }));
  const api = ctx.unwrapResult(vm.enter(() => ctx.callFunction(preludeFn, ctx.undefined, hostFn, cfg)));
  preludeFn.dispose();
  cfg.dispose();
  hostFn.dispose();
  installIntl(vm, intl, ctx);
  const handles = {} as ApiHandles;
  for (const name of API_NAMES) handles[name] = ctx.getProp(api, name);
  api.dispose();
  return { ...handles, index, ctx, file, mark, pending: [], phase: '', stack: '', site: undefined, over: false };
}

/** Intl and the locale-aware built-ins, answered by this worker's V8 (intlHost.ts). */
function installIntl(vm: GuestVm, intl: IntlHost, ctx: QuickJSContext): void {
  const door = ctx.newFunction('intl', (...args) => intlDoor(intl, ctx, args));
  const fn = ctx.unwrapResult(ctx.evalCode(INTL_PRELUDE, PRELUDE_FILE, { type: 'global', strict: true }));
  const config: IntlPreludeConfig = { wire: GUEST_WIRE, dateNowMessage: MESSAGES.dateNow };
  const cfg = jsonHandle(ctx, config);
  ctx.unwrapResult(vm.enter(() => ctx.callFunction(fn, ctx.undefined, door, cfg))).dispose();
  cfg.dispose();
  fn.dispose();
  door.dispose();
}
