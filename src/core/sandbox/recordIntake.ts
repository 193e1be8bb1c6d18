// Takes one context's queued records (decoded by guestRecords.ts) in call order: each agent()
// call is checked against the cap and the budget (a refusal settles its promise with the error
// in this same pump), keyed, settled from the journal when it is there, and passed on to the
// parent as an op; logs, phases and group ends become ops as they are.
import { decodeRecords } from './guestRecords';
import { settlementJson } from './protocol';
import { userSite } from './guestErrors';
import type { GuestBookkeeping } from './bookkeeping';
import type { GuestContext } from './guestContext';
import type { OpsOutbox } from './opsOutbox';

/**
 * False when the joined text does not frame (guestRecords.decodeRecords): nothing was taken, the
 * caller asks for the same records as JSON. Records of a context that already ended are dropped.
 */
export function takeRecords(
  book: GuestBookkeeping,
  outbox: OpsOutbox,
  spent: number,
  g: GuestContext | undefined,
  text: string,
): boolean {
  const records = decodeRecords(text, g?.mark);
  if (!records) return false;
  if (!g || g.over) return true;
  for (const r of records) {
    switch (r.kind) {
      case 'agent': {
        // '' = the previous record's stack; the last one seen is cached per context.
        if (r.site !== '' && r.site !== g.stack) {
          g.stack = r.site;
          g.site = userSite(g, r.site);
        }
        const res = book.agent({
          id: r.id,
          prompt: r.prompt,
          optsJson: r.optsJson,
          guestChain: r.chain,
          group: r.group,
          slot: r.slot,
          stage: r.stage,
          phase: g.phase,
          site: g.site,
          ctx: g.index,
          spent,
        });
        if ('error' in res) g.pending.push(settlementJson([r.id, false, res.error]));
        else if (res.cached) {
          outbox.push(res.op);
          g.pending.push(settlementJson([r.id, true, res.cached.json]));
        } else outbox.pushLiveAgent(res.op);
        break;
      }
      case 'log':
        outbox.push({ op: 'log', level: r.level, message: r.message, ctx: g.index });
        break;
      case 'phase':
        g.phase = r.title;
        outbox.push({ op: 'phase', title: g.phase, ctx: g.index });
        break;
      case 'groupEnd':
        outbox.push({ op: 'groupEnd', groupId: r.groupId, failed: r.failed });
        break;
      case 'unreadable':
        // Only the prelude writes records; stop rather than misread the rest.
        outbox.push({ op: 'log', level: 'error', message: 'internal: unreadable sandbox record', ctx: g.index });
        return true;
    }
  }
  return true;
}
