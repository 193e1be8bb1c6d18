// Decoder of the records the guest prelude queues (agent() calls, logs, phases, group ends): the
// worker's half of guestWire.ts RECORD. The prelude encodes them as one flat array, either joined
// with FIELD_SEPARATOR between the field count and the context's end mark, or — when that text
// would not frame — as JSON; both decode to the same named records here.
import { FIELD_SEPARATOR, RECORD } from './guestWire';

export interface AgentRecord {
  kind: 'agent';
  id: number;
  prompt: string;
  /** The options as JSON text, undefined when the call had none. */
  optsJson: string | undefined;
  /** The chain as the guest wrote it (may start with a '#<id>' reference). */
  chain: string;
  /** DAG position of the caller: -1 when none. */
  group: number;
  slot: number;
  stage: number;
  /** The call's stack text; '' means the same as the previous agent record's. */
  site: string;
}
export interface LogRecord {
  kind: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}
export interface PhaseRecord {
  kind: 'phase';
  title: string;
}
export interface GroupEndRecord {
  kind: 'groupEnd';
  groupId: number;
  /** Slot indexes that failed ([] if the text was unreadable: the group still ends). */
  failed: number[];
}
/** Something only a broken prelude could write: reading stops there rather than misread the rest. */
export interface UnreadableRecord {
  kind: 'unreadable';
}
export type GuestRecord = AgentRecord | LogRecord | PhaseRecord | GroupEndRecord | UnreadableRecord;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const JSON_ARRAY = 91; // '['

/**
 * The records of one drained text (prelude takeQueue, or drainJson's JSON form), in call order.
 * Undefined when the joined text does not frame — a field held FIELD_SEPARATOR, or a NUL cut the
 * text short: nothing is taken, and the caller asks for the same records as JSON.
 */
export function decodeRecords(text: string, mark: string | undefined): GuestRecord[] | undefined {
  const json = text.charCodeAt(0) === JSON_ARRAY;
  let fields: unknown[];
  let at: number;
  let end: number;
  if (json) {
    try {
      fields = JSON.parse(text) as unknown[];
    } catch {
      fields = ['?'];
    }
    at = 0;
    end = fields.length;
  } else {
    fields = text.split(FIELD_SEPARATOR);
    end = Number(fields[0]) + 1;
    if (fields.length !== end + 1 || fields[end] !== mark) return undefined;
    at = 1;
  }
  // A string crossing as C text turns each lone surrogate into three U+FFFD; the JSON form keeps
  // them, so it is made to read the same: a prompt's key must not depend on which form its batch
  // happened to take.
  const str = (x: unknown): string =>
    typeof x === 'string'
      ? json
        ? x.replace(LONE_SURROGATE, '\ufffd\ufffd\ufffd')
        : x
      : x === null || x === undefined
        ? ''
        : String(x);
  const records: GuestRecord[] = [];
  while (at < end) {
    switch (fields[at]) {
      case RECORD.agent.tag: {
        const A = RECORD.agent;
        const opts = fields[at + A.optsJson];
        records.push({
          kind: 'agent',
          id: Number(fields[at + A.id]),
          prompt: str(fields[at + A.prompt]),
          optsJson: opts ? str(opts) : undefined,
          chain: str(fields[at + A.chain]),
          group: Number(fields[at + A.group]),
          slot: Number(fields[at + A.slot]),
          stage: Number(fields[at + A.stage]),
          site: str(fields[at + A.site]),
        });
        at += A.size;
        break;
      }
      case RECORD.log.tag: {
        const level = str(fields[at + RECORD.log.level]);
        records.push({
          kind: 'log',
          level: level === 'warn' || level === 'error' ? level : 'info',
          message: str(fields[at + RECORD.log.message]),
        });
        at += RECORD.log.size;
        break;
      }
      case RECORD.phase.tag:
        records.push({ kind: 'phase', title: str(fields[at + RECORD.phase.title]) });
        at += RECORD.phase.size;
        break;
      case RECORD.groupEnd.tag: {
        let failed: number[] = [];
        try {
          failed = JSON.parse(str(fields[at + RECORD.groupEnd.failedJson])) as number[];
        } catch {
          // the prelude wrote it from numbers; keep the group end even if not
        }
        records.push({ kind: 'groupEnd', groupId: Number(fields[at + RECORD.groupEnd.groupId]), failed });
        at += RECORD.groupEnd.size;
        break;
      }
      default:
        records.push({ kind: 'unreadable' });
        return records;
    }
  }
  return records;
}
