// The one door from the guest, `host(op, …)`, for what must answer synchronously (agent() calls,
// logs, phases and group ends come queued, see prelude). The op names are guestWire.ts HOST_OP,
// the arguments of each in the order of its HostDoor signature there.
// Never throws into the guest: refusals return REFUSAL + ErrorInfo.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { FLUSH_REPLY, HOST_OP, REFUSAL } from './guestWire';
import { GuestBookkeeping } from './bookkeeping';
import { userSite } from './guestErrors';
import { takeRecords } from './recordIntake';
import { itemLabelsFrom } from './itemLabels';
import type { GuestContext } from './guestContext';
import type { GuestTimers } from './guestTimers';
import type { OpsOutbox } from './opsOutbox';

/** The worker state a host call reads or changes. */
export interface HostCallState {
  readonly book: GuestBookkeeping;
  readonly outbox: OpsOutbox;
  readonly timers: GuestTimers;
  /** Chain seed and group of each pending workflow() call, by its promise id. */
  readonly childSeeds: Map<number, { seed: string; groupId: number }>;
  /** Tokens spent so far. */
  readonly spent: number;
  /** A guest promise settles with undefined (a timer fired). */
  settleEmpty(id: number): void;
}

/** Answers `host(op, …args)` from context `g`. */
export function answerHostCall(
  state: HostCallState,
  g: GuestContext | undefined,
  ctx: QuickJSContext,
  args: QuickJSHandle[],
): QuickJSHandle | undefined {
  const text = (i: number): string | undefined => {
    const h = args[i];
    if (!h) return undefined;
    const t = ctx.typeof(h);
    return t === 'undefined' ? undefined : t === 'number' ? String(ctx.getNumber(h)) : ctx.getString(h);
  };
  const num = (i: number): number => ctx.getNumber(args[i]);
  const op = ctx.getString(args[0]);
  const { book, outbox } = state;
  switch (op) {
    case HOST_OP.takeRecords: {
      // Records flushed before a synchronous call or mid-burst; they may have to come again as JSON.
      const live = outbox.liveAgents;
      if (!takeRecords(book, outbox, state.spent, g, text(1) ?? '')) return ctx.newString(FLUSH_REPLY.resendAsJson);
      // A burst's agents leave now: the parent starts them while this VM entry goes on.
      // Journal hits are settled here and only counted there: nothing needs to hurry.
      if (outbox.liveAgents === live) return ctx.newString(FLUSH_REPLY.nothingToStart);
      if (outbox.handOverDue) outbox.flush();
      return undefined;
    }
    case HOST_OP.precheck:
      return ctx.newString(book.precheck(text(1) ?? '', num(2), state.spent) ?? '');
    case HOST_OP.group: {
      // (kind, size, stages, group, slot, stage, stack, itemLabelsJson)
      const group = book.group({
        kind: text(1) as 'parallel' | 'pipeline',
        size: num(2),
        stages: num(3),
        group: num(4),
        slot: num(5),
        stage: num(6),
        site: userSite(g, text(7)),
      });
      const items = itemLabelsFrom(text(8), group.size); // script text: checked and cut there
      outbox.push(items ? { ...group, items } : group);
      return ctx.newNumber(group.groupId);
    }
    case HOST_OP.hash:
      return ctx.newString(book.hash(text(1) ?? ''));
    case HOST_OP.spent:
      return ctx.newNumber(state.spent);
    case HOST_OP.timer:
      // (id, ms)
      state.timers.start(num(1), num(2), (id) => state.settleEmpty(id));
      return undefined;
    case HOST_OP.clearTimer:
      state.timers.clear(num(1));
      return undefined;
    case HOST_OP.workflow: {
      // (id, refJson, argsJson, chain, group, slot, stage, stack)
      const id = num(1);
      const groupId = book.newGroupId();
      state.childSeeds.set(id, { seed: book.resolve(text(4) ?? ''), groupId });
      book.outstanding++;
      outbox.push({
        op: 'workflow',
        id,
        groupId,
        ref: JSON.parse(text(2) ?? '{}') as { name: string } | { scriptPath: string },
        argsJson: text(3),
        position: GuestBookkeeping.position(num(5), num(6), num(7)),
        site: userSite(g, text(8)),
      });
      return ctx.newString('');
    }
    default:
      return ctx.newString(REFUSAL + JSON.stringify({ name: 'Error', message: `unknown host operation ${op}` }));
  }
}
